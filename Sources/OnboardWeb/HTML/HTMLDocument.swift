import CLibXML2
import Foundation

/// libxml2's global state, set up once before the first parse.
let xmlGlobalInit: Bool = {
    xmlInitParser()
    return true
}()

/// A node of a parsed page, as plain Swift values: extraction works on this tree, so no code
/// outside this file touches libxml2's memory.
public enum HTMLNode: Sendable, Equatable {
    case element(HTMLElement)
    case text(String)
}

public struct HTMLElement: Sendable, Equatable {
    /// Lowercased tag name.
    public let name: String
    /// Lowercased attribute names.
    public let attributes: [String: String]
    public let children: [HTMLNode]

    public func attribute(_ name: String) -> String? { attributes[name] }

    /// Every element below this one, depth first, in document order.
    public func descendants(where predicate: (HTMLElement) -> Bool) -> [HTMLElement] {
        var found: [HTMLElement] = []
        func walk(_ element: HTMLElement) {
            for child in element.children {
                if case .element(let inner) = child {
                    if predicate(inner) { found.append(inner) }
                    walk(inner)
                }
            }
        }
        walk(self)
        return found
    }

    public func first(_ name: String) -> HTMLElement? { descendants { $0.name == name }.first }

    /// All text below, whitespace collapsed.
    public var text: String {
        var parts: [String] = []
        func walk(_ node: HTMLNode) {
            switch node {
            case .text(let value): parts.append(value)
            case .element(let element):
                guard !["script", "style", "template", "noscript"].contains(element.name) else { return }
                if HTMLElement.blockNames.contains(element.name) { parts.append(" ") }
                element.children.forEach(walk)
                if HTMLElement.blockNames.contains(element.name) { parts.append(" ") }
            }
        }
        children.forEach(walk)
        return TextNormaliser.collapse(parts.joined())
    }

    /// The raw text of the children (script and style contents included), for JSON-LD.
    public var rawText: String {
        children.map { if case .text(let value) = $0 { return value } else { return "" } }.joined()
    }

    static let blockNames: Set<String> = [
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure", "footer",
        "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section",
        "table", "tbody", "td", "th", "thead", "tr", "ul", "option", "cite",
    ]
}

public enum HTMLDocument {
    /// Parses UTF-8 HTML (already transcoded: libxml2 is told to ignore any declared encoding, as
    /// it would otherwise let a meta override a BOM and fall back to Latin-1).
    public static func parse(utf8 text: String, url: String) -> HTMLElement {
        _ = xmlGlobalInit
        let bytes = Array(text.utf8)
        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
            | HTML_PARSE_NONET.rawValue | HTML_PARSE_IGNORE_ENC.rawValue | HTML_PARSE_COMPACT.rawValue)
        let document = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: max(buffer.count, 1)) {
                htmlReadMemory($0, Int32(buffer.count), url, "UTF-8", options)
            }
        }
        guard let document else { return HTMLElement(name: "html", attributes: [:], children: []) }
        defer { xmlFreeDoc(document) }
        guard let root = xmlDocGetRootElement(document), case .element(let element)? = convert(root, depth: 0) else {
            return HTMLElement(name: "html", attributes: [:], children: [])
        }
        return element
    }

    private static func convert(_ node: UnsafeMutablePointer<xmlNode>, depth: Int) -> HTMLNode? {
        switch node.pointee.type {
        case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
            guard let content = node.pointee.content else { return nil }
            return .text(String(cString: content))
        case XML_ELEMENT_NODE:
            let name = node.pointee.name.map { String(cString: $0).lowercased() } ?? ""
            var attributes: [String: String] = [:]
            var property = node.pointee.properties
            while let current = property {
                if let attributeName = current.pointee.name, let value = xmlNodeGetContent(UnsafeMutablePointer(OpaquePointer(current))) {
                    attributes[String(cString: attributeName).lowercased()] = String(cString: value)
                    onboard_xml_free(value)
                }
                property = current.pointee.next
            }
            var children: [HTMLNode] = []
            if depth < 400 {
                var child = node.pointee.children
                while let current = child {
                    if let converted = convert(current, depth: depth + 1) { children.append(converted) }
                    child = current.pointee.next
                }
            }
            return .element(HTMLElement(name: name, attributes: attributes, children: children))
        default:
            return nil
        }
    }
}

public enum TextNormaliser {
    /// Runs of whitespace (no-break spaces included) become one space; ends trimmed.
    public static func collapse(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace || scalar == "\u{00A0}" || scalar == "\u{200B}" {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" ") }
                pendingSpace = false
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
