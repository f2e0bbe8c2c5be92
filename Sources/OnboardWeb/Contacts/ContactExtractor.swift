import Foundation

/// Email addresses and phone numbers a company page links to or shows.
public enum ContactExtractor {
    /// Emails from mailto: links (query stripped, percent-decoded) and from text, including simple obfuscations: "name [at] domain [dot] com", "name (at) domain (dot) com", "name at domain dot com" only when bracketed; lowercased domain; excludes image-like false positives (logo@2x.png) and example placeholders (you@example.com, name@domain.com, email@example.com).
    public static func emails(links: [String], text: String) -> [String] {
        var found = Set<String>()
        for link in links {
            guard let addresses = EmailScanner.mailtoAddresses(link) else { continue }
            found.formUnion(EmailScanner.addresses(in: addresses))
        }
        found.formUnion(EmailScanner.addresses(in: EmailScanner.revealed(text)))
        return found.sorted()
    }

    /// Phones from tel:/callto: links and from text, normalised to E.164 using the site's country (ISO 3166 alpha-2, e.g. "US", "AU", "GB", "DE", "FR", "CA", "NZ", "IE") when a number has no international prefix: +1 (NANP, 10 digits, strip leading 1), +61 (AU, drop leading 0), +44 (GB, drop leading 0), +49, +33, +64, +353. Numbers already in international form (+CC... or 00CC...) are kept. Reject things that are not phone numbers: dates (2024-01-05), years, prices, zip codes, version numbers, ranges of fewer than 7 digits or more than 15 digits.
    public static func phones(links: [String], text: String, country: String?) -> [String] {
        let region = country?.trimmingCharacters(in: .whitespaces).uppercased()
        var found = Set<String>()
        for link in links {
            guard let number = PhoneScanner.telNumber(link),
                  let normalised = PhoneScanner.normalised(number, country: region)
            else { continue }
            found.insert(normalised)
        }
        for candidate in PhoneScanner.candidates(in: text) {
            if let normalised = PhoneScanner.normalised(candidate, country: region) {
                found.insert(normalised)
            }
        }
        return found.sorted()
    }
}

// MARK: - Emails

private enum EmailScanner {
    /// The address part of a mailto: link, or nil for any other link. A mailto may list several addresses.
    static func mailtoAddresses(_ link: String) -> String? {
        let trimmed = link.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.lowercased().hasPrefix("mailto:") else { return nil }
        var rest = trimmed.dropFirst("mailto:".count)
        if let end = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) {
            rest = rest[..<end]
        }
        let raw = String(rest)
        return raw.removingPercentEncoding ?? raw
    }

    /// Text with bracketed "at"/"dot" and HTML-escaped @ turned back into the characters they stand for.
    static func revealed(_ text: String) -> String {
        var text = text
        if text.contains("&") {
            for entity in ["&#64;", "&#064;", "&#x40;", "&#X40;", "&commat;"] {
                text = text.replacingOccurrences(of: entity, with: "@")
            }
            for entity in ["&#46;", "&#046;", "&#x2e;", "&#x2E;", "&period;"] {
                text = text.replacingOccurrences(of: entity, with: ".")
            }
        }
        let scalars = Array(text.unicodeScalars)
        var output = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            if let (replacement, end) = bracketedWord(scalars, at: index) {
                // "name [at] domain" has spaces that would otherwise split the address.
                while let last = output.last, isSpace(last) { output.removeLast() }
                output.append(replacement)
                index = end
                while index < scalars.count, isSpace(scalars[index]) { index += 1 }
            } else {
                output.append(scalars[index])
                index += 1
            }
        }
        return String(output)
    }

    private static let brackets: [Unicode.Scalar: Unicode.Scalar] = ["[": "]", "(": ")", "{": "}", "<": ">"]

    /// "[at]", "( dot )", "{@}" and the like starting at `start`: the character meant and the index after the bracket.
    private static func bracketedWord(_ scalars: [Unicode.Scalar], at start: Int) -> (Unicode.Scalar, Int)? {
        guard let close = brackets[scalars[start]] else { return nil }
        var index = start + 1
        while index < scalars.count, isSpace(scalars[index]) { index += 1 }
        var word = ""
        while index < scalars.count, word.count <= 3, scalars[index] != close, !isSpace(scalars[index]) {
            word.unicodeScalars.append(scalars[index])
            index += 1
        }
        while index < scalars.count, isSpace(scalars[index]) { index += 1 }
        guard index < scalars.count, scalars[index] == close else { return nil }
        switch word.lowercased() {
        case "at", "@": return ("@", index + 1)
        case "dot", ".": return (".", index + 1)
        default: return nil
        }
    }

    private static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace && scalar != "\n" && scalar != "\r"
    }

    private static func isLocalCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "._+-".unicodeScalars.contains(scalar))
    }

    private static func isDomainCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "." || scalar == "-")
    }

    /// Valid, non-placeholder addresses around every "@" in `text`.
    static func addresses(in text: String) -> Set<String> {
        let scalars = Array(text.unicodeScalars)
        var found = Set<String>()
        for (at, scalar) in scalars.enumerated() where scalar == "@" {
            var start = at
            while start > 0, isLocalCharacter(scalars[start - 1]) { start -= 1 }
            var end = at + 1
            while end < scalars.count, isDomainCharacter(scalars[end]) { end += 1 }
            var local = String(String.UnicodeScalarView(scalars[start..<at]))
            var domain = String(String.UnicodeScalarView(scalars[(at + 1)..<end])).lowercased()
            while local.hasPrefix(".") { local.removeFirst() }
            // Sentence punctuation after an address is not part of the domain.
            while domain.hasSuffix(".") || domain.hasSuffix("-") { domain.removeLast() }
            if isAcceptable(local: local, domain: domain) {
                found.insert("\(local)@\(domain)")
            }
        }
        return found
    }

    /// File extensions that look like a top-level domain after an "@" in asset names such as logo@2x.png.
    private static let assetExtensions: Set<String> = [
        "png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "bmp", "ico", "tif", "tiff", "heic",
        "css", "js", "mjs", "json", "map", "mp4", "webm", "mov", "woff", "woff2", "ttf", "otf", "eot",
        "pdf",
    ]
    private static let placeholderDomains: Set<String> = [
        "example.com", "example.org", "example.net", "example.edu", "domain.com", "yourdomain.com",
        "your-domain.com", "yoursite.com", "yourwebsite.com", "yourcompany.com", "mydomain.com",
    ]
    /// `.example` is not here: invented companies (demo sites, test fixtures) live under it, and a
    /// real site never shows one; the placeholder addresses people copy are the example.com family.
    private static let placeholderTopLevels: Set<String> = ["test", "invalid", "localhost"]
    private static let placeholderLocals: Set<String> = [
        "you", "your", "name", "yourname", "your.name", "email", "youremail", "your.email", "user",
        "username", "firstname.lastname", "first.last", "john.doe", "jane.doe", "johndoe",
    ]
    private static let genericDomains: Set<String> = ["email.com", "company.com", "website.com", "mail.com"]
    /// Error-reporting services embed a hex key as the local part; it is never a contact.
    private static let serviceDomains: Set<String> = ["sentry.io", "wixpress.com", "sentry-next.wixpress.com"]

    private static func isAcceptable(local: String, domain: String) -> Bool {
        guard (1...64).contains(local.count), !local.hasSuffix("."), !local.contains(".."),
              (4...253).contains(domain.count), !domain.hasPrefix("."), !domain.contains("..")
        else { return false }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2,
              labels.allSatisfy({ (1...63).contains($0.count) && !$0.hasPrefix("-") && !$0.hasSuffix("-") }),
              let top = labels.last
        else { return false }
        let topIsName = top.count >= 2 && top.allSatisfy { $0.isLetter }
        guard topIsName || top.hasPrefix("xn--") else { return false }
        let topLevel = String(top)
        guard !assetExtensions.contains(topLevel), !placeholderTopLevels.contains(topLevel) else { return false }
        guard !placeholderDomains.contains(domain), !labels.dropLast().contains("example") else { return false }
        if genericDomains.contains(domain), placeholderLocals.contains(local.lowercased()) { return false }
        if serviceDomains.contains(where: { domain == $0 || domain.hasSuffix("." + $0) }) { return false }
        return true
    }
}

// MARK: - Phones

private enum PhoneScanner {
    /// The number in a tel:, callto: or phone: link, or nil when the link is something else or names
    /// a Skype account or a vanity number spelled in letters.
    static func telNumber(_ link: String) -> String? {
        let trimmed = link.trimmingCharacters(in: .whitespacesAndNewlines)
        let lowered = trimmed.lowercased()
        guard let scheme = ["tel:", "callto:", "phone:"].first(where: { lowered.hasPrefix($0) }) else { return nil }
        var rest = trimmed.dropFirst(scheme.count)
        while rest.hasPrefix("/") { rest.removeFirst() }
        // RFC 3966 parameters (;ext=, ;phone-context=) follow the number itself.
        if let end = rest.firstIndex(where: { $0 == ";" || $0 == "?" || $0 == "#" || $0 == "," }) {
            rest = rest[..<end]
        }
        let raw = String(rest)
        var number = raw.removingPercentEncoding ?? raw
        // Numbers copied from free text ("…0132 ext. 5", "…0132 x5") carry the extension in words.
        if let mark = number.range(of: "ext", options: .caseInsensitive) ?? number.range(of: "x", options: .caseInsensitive) {
            number = String(number[..<mark.lowerBound])
        }
        number = number.trimmingCharacters(in: .whitespaces)
        let scalars = number.unicodeScalars
        guard scalars.contains(where: isDigit),
              scalars.allSatisfy({ isDigit($0) || isSeparator($0) || $0 == "+" })
        else { return nil }
        return number
    }

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }

    private static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\u{00A0}" || scalar == "\u{2007}" || scalar == "\u{2009}" || scalar == "\u{202F}"
    }

    private static func isSeparator(_ scalar: Unicode.Scalar) -> Bool {
        isSpace(scalar) || "-./()\u{2011}".unicodeScalars.contains(scalar)
    }

    private static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || isDigit(scalar) || scalar == "_"
    }

    private static func isCurrency(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .currencySymbol
    }

    /// Runs of digits and phone punctuation in text, each starting and ending on a word boundary and not
    /// sitting next to a currency sign, a percent sign or a decimal point.
    static func candidates(in text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        var found: [String] = []
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            let next = index + 1 < scalars.count ? scalars[index + 1] : nil
            let opens = isDigit(scalar) || ((scalar == "+" || scalar == "(") && next.map(isDigit) == true)
            guard opens else {
                index += 1
                continue
            }
            let international = scalar == "+"
            var digits = ""
            var lastDigit = -1
            var separatorRun = 0
            var cursor = international ? index + 1 : index
            while cursor < scalars.count {
                let current = scalars[cursor]
                if isDigit(current) {
                    digits.unicodeScalars.append(current)
                    lastDigit = cursor
                    separatorRun = 0
                } else if isSeparator(current) {
                    // An area code in parentheses opens a number, so "CA 94103 (415) 555-0132" is a zip code
                    // and then a phone. After a country code, "(0)" is the trunk prefix of the same number.
                    if current == "(", !digits.isEmpty, !international, !digits.hasPrefix("00") { break }
                    // "02 9000 1111 / 02 9000 2222" lists two numbers.
                    if current == "/", isSpace(scalars[cursor - 1]) { break }
                    separatorRun += 1
                    if separatorRun > 3 { break }
                } else {
                    break
                }
                cursor += 1
            }
            guard lastDigit >= index else {
                index += 1
                continue
            }
            if isStandalone(scalars, from: index, through: lastDigit) {
                found.append(String(String.UnicodeScalarView(scalars[index...lastDigit])))
            }
            index = lastDigit + 1
        }
        return found
    }

    private static func isStandalone(_ scalars: [Unicode.Scalar], from start: Int, through end: Int) -> Bool {
        if start > 0 {
            let before = scalars[start - 1]
            if isWordCharacter(before) || "#=@&/\\+%".unicodeScalars.contains(before) { return false }
            // The tail of a larger token: "1,299,000", "3.14159265", "SKU-12345678".
            if (before == "," || before == "." || before == "-"), start >= 2, isWordCharacter(scalars[start - 2]) {
                return false
            }
            var look = start - 1
            while look > 0, isSpace(scalars[look]) { look -= 1 }
            if isCurrency(scalars[look]) { return false }
        }
        if end + 1 < scalars.count {
            let after = scalars[end + 1]
            // Lowercase only: text flattened from HTML often runs straight into the next label ("…0132Email").
            if after.properties.isLowercase || isDigit(after) || after == "_" || after == "%" { return false }
            if (after == "," || after == "."), end + 2 < scalars.count, isDigit(scalars[end + 2]) { return false }
            var look = end + 1
            while look < scalars.count - 1, isSpace(scalars[look]) { look += 1 }
            if isCurrency(scalars[look]) || scalars[look] == "%" { return false }
        }
        return true
    }

    /// Digit groups of a candidate and the punctuation between them, to tell dates and addresses from numbers.
    private static func groups(of candidate: String) -> (groups: [String], separators: [String]) {
        var groups: [String] = []
        var separators: [String] = []
        var current = ""
        var separator = ""
        for scalar in candidate.unicodeScalars {
            if isDigit(scalar) {
                if current.isEmpty, !groups.isEmpty {
                    separators.append(separator.trimmingCharacters(in: .whitespaces))
                }
                if current.isEmpty { separator = "" }
                current.unicodeScalars.append(scalar)
            } else {
                if !current.isEmpty {
                    groups.append(current)
                    current = ""
                }
                separator.unicodeScalars.append(scalar)
            }
        }
        if !current.isEmpty { groups.append(current) }
        return (groups, separators)
    }

    private static func isYear(_ group: String) -> Bool {
        group.count == 4 && (group.hasPrefix("19") || group.hasPrefix("20"))
    }

    /// Dates (2024-01-05, 05/01/2024, 5.1.2024), year ranges (2019-2024) and IPv4 addresses.
    private static func isNotAPhoneNumber(_ candidate: String) -> Bool {
        let (groups, separators) = groups(of: candidate)
        let sameSeparator = Set(separators).count == 1 ? separators.first : nil
        if groups.count == 3, let separator = sameSeparator, ["-", "/", "."].contains(separator) {
            let lengths = groups.map(\.count)
            if isYear(groups[0]), lengths[1] <= 2, lengths[2] <= 2 { return true }
            if lengths[0] <= 2, lengths[1] <= 2, isYear(groups[2]) || lengths[2] == 2 { return true }
        }
        if groups.count == 2, groups.allSatisfy(isYear) { return true }
        if groups.count == 4, sameSeparator == ".", groups.allSatisfy({ $0.count <= 3 }) { return true }
        return false
    }

    private struct Plan {
        let code: String
        let nationalLengths: ClosedRange<Int>
    }

    /// Countries whose national numbers can be completed; all of them but the NANP write a trunk 0
    /// that E.164 drops.
    private static let plans: [String: Plan] = [
        "US": Plan(code: "1", nationalLengths: 10...10),
        "CA": Plan(code: "1", nationalLengths: 10...10),
        "AU": Plan(code: "61", nationalLengths: 9...10),
        "GB": Plan(code: "44", nationalLengths: 9...10),
        "DE": Plan(code: "49", nationalLengths: 6...13),
        "FR": Plan(code: "33", nationalLengths: 9...9),
        "NZ": Plan(code: "64", nationalLengths: 8...10),
        "IE": Plan(code: "353", nationalLengths: 7...9),
    ]
    private static let plansByCode: [String: Plan] = Dictionary(
        plans.values.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })

    /// `candidate` in E.164, or nil when it is not a plausible number for its country.
    static func normalised(_ candidate: String, country: String?) -> String? {
        var text = candidate.trimmingCharacters(in: .whitespaces)
        var digits = digitsOnly(text)
        let nanp = country.flatMap { plans[$0] }?.code == "1"
        let internationalPrefix: Int? =
            if text.hasPrefix("+") { 0 }
            else if digits.hasPrefix("00") { 2 }
            else if nanp, digits.hasPrefix("011") { 3 }
            else { nil }
        if let internationalPrefix {
            // "+44 (0)20 …": the bracketed trunk prefix is not dialled from abroad.
            text = text.replacingOccurrences(of: "(0)", with: "")
            digits = digitsOnly(text)
            guard !isNotAPhoneNumber(text) else { return nil }
            return internationalForm(String(digits.dropFirst(internationalPrefix)))
        }
        guard !isNotAPhoneNumber(text) else { return nil }
        guard let country, let plan = plans[country] else { return nil }
        var national = digits
        if plan.code == "1" {
            if national.count == 11, national.hasPrefix("1") { national.removeFirst() }
        } else if national.hasPrefix("0") {
            national.removeFirst()
        } else if !(country == "AU" && national.count == 10 && (national.hasPrefix("1300") || national.hasPrefix("1800"))) {
            // Without the trunk 0 a national number is most likely a reference, an ABN or a postcode.
            return nil
        }
        return isPlausible(national, plan: plan) ? "+\(plan.code)\(national)" : nil
    }

    private static func digitsOnly(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter(isDigit)))
    }

    private static func internationalForm(_ digits: String) -> String? {
        guard let first = digits.first, first != "0", (7...15).contains(digits.count) else { return nil }
        // Country codes form a prefix code, so at most one of these matches.
        if let plan = plansByCode.values.first(where: { digits.hasPrefix($0.code) }) {
            var national = String(digits.dropFirst(plan.code.count))
            // "+44 020 …" is a common slip; no number in these plans starts with 0 after the country code.
            if plan.code != "1", national.hasPrefix("0") { national.removeFirst() }
            return isPlausible(national, plan: plan) ? "+\(plan.code)\(national)" : nil
        }
        return "+\(digits)"
    }

    private static func isPlausible(_ national: String, plan: Plan) -> Bool {
        guard plan.nationalLengths.contains(national.count), let first = national.first, first != "0",
              (7...15).contains(plan.code.count + national.count)
        else { return false }
        switch plan.code {
        case "1":
            // NANP area codes and exchanges never start with 0 or 1.
            let digits = Array(national)
            return digits[0] >= "2" && digits[3] >= "2"
        case "61":
            return national.count == 9 || national.hasPrefix("1300") || national.hasPrefix("1800")
        default:
            return true
        }
    }
}
