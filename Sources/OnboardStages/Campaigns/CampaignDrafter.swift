import Foundation
import OnboardEngine

/// One drafted campaign before its share of the leads is known.
struct CampaignDraft: Sendable {
    var id: String
    var name: String
    var segment: JSONValue
    var angle: String
    var valueProposition: String
    var reason: String
    var steps: [SequenceStep]
}

/// Writes each segment's name, angle, value proposition and sequence from the ICP's services,
/// pain points, value proposition and the site's proof points, through the offline template.
struct CampaignDrafter {
    let client: String
    let icp: ConfirmedICP
    let proofLines: [String]
    var template: SequenceTemplate = .shared
    var variables: PersonalisationVariables = .shared

    static let fallbackPain = "the day-to-day workload"
    static let fallbackService = "the work that slows their team down"

    /// Testimonials (whole sentences with who said them), then proof points long enough to stand
    /// as a sentence: site figures such as "80% of" are fragments that read badly on their own.
    static func proofLines(_ intelligence: JSONValue) -> [String] {
        var lines: [String] = []
        for testimonial in intelligence["testimonials"]?.arrayValue ?? [] {
            guard let quote = testimonial["quote"]?.stringValue.map(DraftText.clean), quote.split(separator: " ").count >= 4 else { continue }
            let who = [testimonial["name"]?.stringValue, testimonial["title"]?.stringValue, testimonial["company"]?.stringValue]
                .compactMap { $0.map(DraftText.clean) }.filter { !$0.isEmpty }.joined(separator: ", ")
            lines.append("\u{201C}\(quote)\u{201D}" + (who.isEmpty ? "" : " (\(who))"))
        }
        for point in intelligence["proof_points"]?.arrayValue ?? [] {
            if let text = point["text"]?.stringValue.map(DraftText.clean), text.split(separator: " ").count >= 4 {
                lines.append(DraftText.sentence(text))
            }
        }
        return lines
    }

    /// The proof line that shares most words with the segment, preferring one not used yet.
    private func proof(for segment: Segment, used: inout Set<String>) -> String {
        guard !proofLines.isEmpty else { return "" }
        let words = DraftText.keywords((segment.industries + segment.titles + [segment.service]).joined(separator: " "))
        let ranked = proofLines.enumerated().sorted { left, right in
            let a = DraftText.keywords(left.element).intersection(words).count
            let b = DraftText.keywords(right.element).intersection(words).count
            return a != b ? a > b : left.offset < right.offset
        }.map(\.element)
        let chosen = ranked.first { !used.contains($0) } ?? ranked[0]
        used.insert(chosen)
        return chosen
    }

    func draft(_ segments: [Segment], clientID: String) throws -> [CampaignDraft] {
        var drafts: [CampaignDraft] = []
        var names = Set<String>()
        var usedProof = Set<String>()
        for (index, segment) in segments.enumerated() {
            let id = "\(clientID)-c\(index + 1)"
            let name = uniqueName(segment, taken: &names)
            let industry = DraftText.list(segment.industries, limit: 3, others: "related")
                + (segment.industries.count > 1 ? " sectors" : " sector")
            let titles = DraftText.list(segment.titles.map(DraftText.plural), limit: 3, others: "other leaders")
            let service = segment.service.isEmpty ? Self.fallbackService : DraftText.inline(segment.service)
            let pain = segment.painPoint.isEmpty ? Self.fallbackPain : DraftText.inline(segment.painPoint)
            let proof = self.proof(for: segment, used: &usedProof)
            let promise = icp.valueProposition.map(DraftText.sentence)
                ?? DraftText.sentence("\(service.prefix(1).uppercased() + service.dropFirst()) without \(pain)")
            let values: [String: String] = [
                "client": DraftText.clean(client), "industry_phrase": industry, "title_plural": titles, "pain_point": pain,
                "pain_point_short": DraftText.short(pain), "service": service, "service_short": DraftText.short(service),
                "value_proposition": promise, "proof_line": proof,
            ]
            let steps = template.draft(values)
            for step in steps {
                for (field, text) in [("subject", step.subject), ("body", step.body)] {
                    do { try variables.check(text, place: "campaign \(id) step \(step.step) \(field)") } catch {
                        throw StageFailure("\(error)")
                    }
                }
            }
            drafts.append(CampaignDraft(
                id: id, name: name, segment: segmentJSON(segment), angle: angle(segment, industry: industry, titles: titles, service: service, pain: pain, proof: proof),
                valueProposition: "For \(titles) in the \(industry): \(promise)", reason: reason(segment), steps: steps))
        }
        return drafts
    }

    private func segmentJSON(_ segment: Segment) -> JSONValue {
        func list(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }
        return [
            "industries": list(segment.industries), "titles": list(segment.titles), "services": list(segment.services),
            "service": .string(segment.service), "pain_point": .string(segment.painPoint),
            "locations": list(icp.locations), "company_sizes": list(icp.companySizes), "approach": .string(segment.approach),
        ]
    }

    private func uniqueName(_ segment: Segment, taken: inout Set<String>) -> String {
        let base = DraftText.list(segment.industries, limit: 2) + " · " + DraftText.list(segment.titles, limit: 2)
        var candidates = [base]
        if !segment.service.isEmpty { candidates.append(base + " · " + DraftText.short(segment.service, words: 4)) }
        if !segment.painPoint.isEmpty { candidates.append(base + " · " + DraftText.short(segment.painPoint, words: 4)) }
        candidates.append(base + " · " + segment.approach + " approach")
        let name = candidates.first { !taken.contains($0) } ?? candidates[candidates.count - 1] + " \(taken.count + 1)"
        taken.insert(name)
        return name
    }

    private func angle(_ segment: Segment, industry: String, titles: String, service: String, pain: String, proof: String) -> String {
        switch segment.approach {
        case "pain": return "Open on the problem: \(pain), and what it costs \(titles) in the \(industry)."
        case "outcome": return "Open on the result: what \(service) changes for \(titles)."
        case "proof" where !proof.isEmpty: return "Open on proof: \(proof)"
        case "proof": return "Open on \(DraftText.clean(client))'s track record in the \(industry)."
        case "peer": return "Open on peers: how other teams in the \(industry) deal with \(pain)."
        default: return "Open on a concrete offer: \(service), ready to start."
        }
    }

    private func reason(_ segment: Segment) -> String {
        var parts = ["Chosen from the confirmed ICP: " + segment.basis.joined(separator: ", ")]
        let words = DraftText.keywords((segment.industries + segment.titles).joined(separator: " "))
        if !segment.service.isEmpty {
            let shared = DraftText.keywords(segment.service).intersection(words).sorted()
            parts.append("leads with the service \u{201C}\(segment.service)\u{201D}"
                + (shared.isEmpty ? "" : " (it shares the words \(shared.joined(separator: ", ")) with the segment)"))
        }
        if !segment.painPoint.isEmpty { parts.append("speaks to the pain point \u{201C}\(segment.painPoint)\u{201D}") }
        return parts.joined(separator: "; ")
    }
}
