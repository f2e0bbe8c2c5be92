import Foundation

/// Inline SVG charts: drawn from counts alone, with integer coordinates, so they read without
/// a script and their bytes depend only on the data.
enum SVGChart {
    struct Bar {
        var label: String
        var count: Int
    }

    /// A thin horizontal meter (confidence, a stage's share of the longest stage).
    static func meter(fraction: Double, width: Int, label: String) -> String {
        let clamped = max(0, min(1, fraction.isFinite ? fraction : 0))
        let filled = Int((clamped * Double(width)).rounded())
        return "<svg class=\"meter\" width=\"\(width)\" height=\"10\" viewBox=\"0 0 \(width) 10\" role=\"img\" aria-label=\"\(HTMLWriter.escape(label))\">"
            + "<rect class=\"track\" width=\"\(width)\" height=\"10\" rx=\"3\"/>"
            + "<rect class=\"fill\" width=\"\(filled)\" height=\"10\" rx=\"3\"/></svg>"
    }

    /// Horizontal bars, one row per label, longest first as given.
    static func bars(_ bars: [Bar], title: String) -> String {
        let labelWidth = 220, barWidth = 300, row = 22, top = 26
        let height = top + max(1, bars.count) * row + 6
        let width = labelWidth + barWidth + 70
        let largest = max(1, bars.map(\.count).max() ?? 1)
        var svg = "<svg class=\"chart\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"\(HTMLWriter.escape(title))\">"
        svg += "<title>\(HTMLWriter.escape(title))</title>"
        svg += "<text class=\"title\" x=\"0\" y=\"16\">\(HTMLWriter.escape(title))</text>"
        if bars.isEmpty {
            svg += "<text class=\"label\" x=\"0\" y=\"\(top + 15)\">no values</text>"
        }
        for (index, bar) in bars.enumerated() {
            let y = top + index * row
            let length = max(bar.count > 0 ? 1 : 0, bar.count * barWidth / largest)
            svg += "<text class=\"label\" x=\"\(labelWidth - 8)\" y=\"\(y + 15)\" text-anchor=\"end\">\(HTMLWriter.escape(shortened(bar.label, 28)))</text>"
            svg += "<rect class=\"bar\" x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(length)\" height=\"\(row - 6)\" rx=\"2\"/>"
            svg += "<text class=\"value\" x=\"\(labelWidth + length + 6)\" y=\"\(y + 15)\">\(bar.count)</text>"
        }
        return svg + "</svg>"
    }

    /// Vertical bars over fixed bins (the score histogram).
    static func columns(_ bins: [Bar], title: String) -> String {
        let column = 44, plot = 140, top = 26, bottom = 22
        let width = max(1, bins.count) * column + 10
        let height = top + plot + bottom
        let largest = max(1, bins.map(\.count).max() ?? 1)
        var svg = "<svg class=\"chart\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"\(HTMLWriter.escape(title))\">"
        svg += "<title>\(HTMLWriter.escape(title))</title>"
        svg += "<text class=\"title\" x=\"0\" y=\"16\">\(HTMLWriter.escape(title))</text>"
        for (index, bin) in bins.enumerated() {
            let x = 5 + index * column
            let length = max(bin.count > 0 ? 1 : 0, bin.count * plot / largest)
            let y = top + plot - length
            svg += "<rect class=\"bar\" x=\"\(x + 4)\" y=\"\(y)\" width=\"\(column - 8)\" height=\"\(length)\" rx=\"2\"/>"
            svg += "<text class=\"value\" x=\"\(x + column / 2)\" y=\"\(max(top + 10, y - 3))\" text-anchor=\"middle\">\(bin.count)</text>"
            svg += "<text class=\"label\" x=\"\(x + column / 2)\" y=\"\(top + plot + 15)\" text-anchor=\"middle\">\(HTMLWriter.escape(bin.label))</text>"
        }
        return svg + "</svg>"
    }

    /// One bar split in proportion to the parts (campaign allocation).
    static func split(_ parts: [Bar], title: String) -> String {
        let width = 600, height = 28
        let total = max(1, parts.map(\.count).reduce(0, +))
        var svg = "<svg class=\"split\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"\(HTMLWriter.escape(title))\">"
        svg += "<title>\(HTMLWriter.escape(title))</title>"
        var x = 0
        for (index, part) in parts.enumerated() {
            let length = index == parts.count - 1 && part.count > 0 ? width - x : part.count * width / total
            svg += "<rect class=\"part\(index % 5)\" x=\"\(x)\" y=\"0\" width=\"\(max(0, length))\" height=\"\(height)\"/>"
            if length > 40 {
                svg += "<text class=\"inside\" x=\"\(x + 6)\" y=\"18\">\(HTMLWriter.escape(shortened(part.label, max(3, length / 8))))</text>"
            }
            x += length
        }
        return svg + "</svg>"
    }

    static func shortened(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    /// Counts by label, most frequent first (then by label), the tail folded into one bar.
    static func tally(_ labels: [String], top: Int = 12) -> [Bar] {
        var counts: [String: Int] = [:]
        for label in labels { counts[label.isEmpty ? "(blank)" : label, default: 0] += 1 }
        let sorted = counts.map { Bar(label: $0.key, count: $0.value) }.sorted {
            $0.count != $1.count ? $0.count > $1.count : $0.label < $1.label
        }
        guard sorted.count > top else { return sorted }
        let rest = sorted.dropFirst(top - 1)
        return Array(sorted.prefix(top - 1)) + [Bar(label: "other (\(rest.count) values)", count: rest.map(\.count).reduce(0, +))]
    }
}
