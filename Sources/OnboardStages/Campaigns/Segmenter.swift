import Foundation

/// A part of the confirmed ICP that one campaign speaks to: an industry group, a set of buyer
/// titles, and the service and pain point that fit them best.
struct Segment: Sendable, Equatable {
    var industries: [String]
    var titles: [String]
    var services: [String]
    var painPoints: [String]
    /// The service and pain point the campaign leads with (chosen so campaigns differ when they can).
    var service: String = ""
    var painPoint: String = ""
    /// How the campaign opens: one of `Segmenter.approaches`, different for every campaign of a job.
    var approach: String = ""
    /// What made this segment: "industry group Health care", "titles split", ...
    var basis: [String] = []
}

/// Cuts a confirmed ICP into exactly `slots` distinct segments. Industries are grouped by the
/// taxonomy's industry groups first; with more groups than slots the smallest trailing groups
/// share the last segment, with fewer the widest segment is split by industries, then by buyer
/// titles (by function), then by services, then by pain points; when nothing is left to split,
/// segments still differ by their approach.
enum Segmenter {
    static let approaches = ["pain", "outcome", "proof", "peer", "offer"]

    static func segments(_ icp: ConfirmedICP, slots: Int, taxonomy: Taxonomy = .shared) -> [Segment] {
        precondition(slots > 0)
        let groups = industryGroups(icp.industries, taxonomy: taxonomy)
        var segments = groups.map { group in
            Segment(
                industries: group.members, titles: icp.titles, services: icp.services, painPoints: icp.painPoints,
                basis: ["industry group \(group.name)"])
        }
        if segments.count > slots {
            let rest = segments[(slots - 1)...]
            var merged = segments[slots - 1]
            merged.industries = rest.flatMap(\.industries)
            merged.basis = ["industry groups " + DraftText.list(rest.compactMap { $0.basis.first?.replacingOccurrences(of: "industry group ", with: "") }, limit: 9)]
            segments = Array(segments[..<(slots - 1)]) + [merged]
        }
        while segments.count < slots, let (index, halves) = bestSplit(segments, taxonomy: taxonomy) {
            segments.replaceSubrange(index...index, with: halves)
        }
        var copies = 0
        while segments.count < slots {
            var copy = segments[copies % segments.count]
            copy.basis.append("another approach")
            segments.append(copy)
            copies += 1
        }
        return choose(segments)
    }

    struct Group {
        let name: String
        var members: [String]
    }

    /// ICP industries by taxonomy group, groups in the order of their best-ranked member.
    static func industryGroups(_ industries: [String], taxonomy: Taxonomy) -> [Group] {
        var groups: [Group] = []
        for industry in industries {
            let group = taxonomy.segmentIndustry(for: industry)?.group
            let name = (group?.isEmpty == false ? group : nil) ?? industry
            if let at = groups.firstIndex(where: { $0.name == name }) {
                groups[at].members.append(industry)
            } else {
                groups.append(Group(name: name, members: [industry]))
            }
        }
        return groups
    }

    /// The segment to split next and its two halves: the first dimension with more than one
    /// value, tried in the order industries, title functions, titles, services, pain points;
    /// among segments, the one with most values in that dimension (earliest on ties).
    private static func bestSplit(_ segments: [Segment], taxonomy: Taxonomy) -> (Int, [Segment])? {
        typealias Dimension = (name: String, units: (Segment) -> [[String]], apply: (inout Segment, [String]) -> Void)
        let dimensions: [Dimension] = [
            ("industries", { $0.industries.map { [$0] } }, { $0.industries = $1 }),
            ("title functions", { titleFunctions($0.titles, taxonomy: taxonomy) }, { $0.titles = $1 }),
            ("titles", { $0.titles.map { [$0] } }, { $0.titles = $1 }),
            ("services", { $0.services.map { [$0] } }, { $0.services = $1 }),
            ("pain points", { $0.painPoints.map { [$0] } }, { $0.painPoints = $1 }),
        ]
        for dimension in dimensions {
            var best: (index: Int, units: [[String]])?
            for (index, segment) in segments.enumerated() {
                let units = dimension.units(segment)
                if units.count > 1, units.count > (best?.units.count ?? 1) { best = (index, units) }
            }
            guard let best else { continue }
            let cut = (best.units.count + 1) / 2
            var first = segments[best.index]
            var second = first
            dimension.apply(&first, Array(best.units[..<cut].joined()))
            dimension.apply(&second, Array(best.units[cut...].joined()))
            let note = "split by \(dimension.name)"
            return (best.index, [first, second].map { half in
                var noted = half
                if !noted.basis.contains(note) { noted.basis.append(note) }
                return noted
            })
        }
        return nil
    }

    /// Titles grouped by the taxonomy's function (executive, marketing, ...), in ICP order.
    static func titleFunctions(_ titles: [String], taxonomy: Taxonomy) -> [[String]] {
        var order: [String] = []
        var members: [String: [String]] = [:]
        for title in titles {
            let function = taxonomy.segmentTitle(for: title)?.function ?? "title:" + title
            if members[function] == nil { order.append(function) }
            members[function, default: []].append(title)
        }
        return order.map { members[$0]! }
    }

    /// Each segment's lead service and pain point: the one sharing most words with its industries
    /// and titles, preferring one no earlier segment leads with; and its approach.
    private static func choose(_ segments: [Segment]) -> [Segment] {
        var usedServices = Set<String>()
        var usedPains = Set<String>()
        var result: [Segment] = []
        for (index, segment) in segments.enumerated() {
            var chosen = segment
            let words = DraftText.keywords((segment.industries + segment.titles).joined(separator: " "))
            chosen.service = pick(segment.services, words: words, used: usedServices) ?? ""
            chosen.painPoint = pick(segment.painPoints, words: words, used: usedPains) ?? ""
            usedServices.insert(chosen.service)
            usedPains.insert(chosen.painPoint)
            chosen.approach = approaches[index % approaches.count]
            result.append(chosen)
        }
        return result
    }

    private static func pick(_ options: [String], words: Set<String>, used: Set<String>) -> String? {
        guard !options.isEmpty else { return nil }
        let ranked = options.enumerated().sorted { left, right in
            let a = DraftText.keywords(left.element).intersection(words).count
            let b = DraftText.keywords(right.element).intersection(words).count
            return a != b ? a > b : left.offset < right.offset
        }.map(\.element)
        return ranked.first { !used.contains($0) } ?? ranked[0]
    }
}
