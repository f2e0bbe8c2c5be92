import Foundation

/// The folded forms under which lead values are compared: industries, places, emails, names.
/// Folding works on UTF-8 bytes so the importer can fold a field where it lies in the file and the
/// stages fold the ICP's words into exactly the same keys.
public enum LeadKeys {
    /// Lowercase ASCII letters, `&` read as "and", every run of other punctuation or space one
    /// space, no space at either end: "Hospital & Health Care" and "hospital and health-care" meet.
    /// Bytes of other scripts are kept as they are.
    public static func fold(_ bytes: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        output.removeAll(keepingCapacity: true)
        var pendingSpace = false
        func emit(_ byte: UInt8) {
            if pendingSpace, !output.isEmpty { output.append(0x20) }
            pendingSpace = false
            output.append(byte)
        }
        for byte in bytes {
            switch byte {
            case 0x41...0x5A: emit(byte | 0x20)
            case 0x61...0x7A, 0x30...0x39, 0x80...0xFF: emit(byte)
            case 0x26:  // &
                pendingSpace = true
                emit(0x61); output.append(0x6E); output.append(0x64)
                pendingSpace = true
            case 0x27: continue  // an apostrophe joins ("O'Brien", "Children's")
            default: pendingSpace = true
            }
        }
    }

    public static func fold(_ text: String) -> String {
        var output: [UInt8] = []
        var copy = text
        copy.withUTF8 { fold(UnsafeRawBufferPointer($0), into: &output) }
        return String(decoding: output, as: UTF8.self)
    }

    /// An email address as it is compared: trimmed and lowercased.
    public static func email(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    /// A LinkedIn profile URL without scheme, `www.`, query, fragment or trailing slash, lowercased.
    public static func linkedIn(_ text: String) -> String {
        var value = text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        for prefix in ["https://", "http://"] where value.hasPrefix(prefix) { value.removeFirst(prefix.count) }
        if value.hasPrefix("www.") { value.removeFirst(4) }
        if let cut = value.firstIndex(where: { $0 == "?" || $0 == "#" }) { value = String(value[..<cut]) }
        while value.hasSuffix("/") { value.removeLast() }
        return value
    }

    /// Legal-form words a company name carries or drops between sources.
    static let companySuffixes: Set<String> = [
        "inc", "incorporated", "llc", "ltd", "limited", "pty", "plc", "gmbh", "ag", "co", "corp", "corporation",
        "company", "lp", "llp", "pvt", "sa", "bv", "srl", "the",
    ]

    /// A person at a company, as two sources might both write it: "Dr. Ana Díaz" at "Smile Co Pty Ltd"
    /// and "ana diaz" at "Smile" are one lead.
    public static func person(first: String, last: String, company: String) -> String? {
        let name = fold(ascii(first + " " + last))
        let firm = fold(ascii(company)).split(separator: " ").filter { !companySuffixes.contains(String($0)) }
            .joined(separator: " ")
        let nameWords = name.split(separator: " ").filter { !["dr", "mr", "mrs", "ms", "prof"].contains($0) }
        guard !nameWords.isEmpty, !firm.isEmpty else { return nil }
        return nameWords.joined(separator: " ") + "|" + firm
    }

    /// Latin letters without their accents, so "Díaz" and "Diaz" fold alike.
    static func ascii(_ text: String) -> String {
        text.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: Locale(identifier: "en_US_POSIX"))
    }
}
