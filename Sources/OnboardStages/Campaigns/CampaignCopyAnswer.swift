import Foundation
import OnboardEngine

/// The check a model's sequence copy must pass before any of it is used: every campaign and
/// every step present once, subjects and bodies of sane length, and no `{{variable}}` outside
/// the documented list. One fault rejects the whole answer, so no campaign is half written.
enum CampaignCopyAnswer {
    static let maxSubjectCharacters = 120
    static let bodyCharacters = 20...2_000

    /// The steps of each campaign (by id) with the answer's copy in the template's shape:
    /// channel and delay_days stay the template's; steps the template writes without a subject
    /// (thread follow-ups, LinkedIn) keep none whatever the answer says.
    static func check(
        _ answer: JSONValue, drafts: [CampaignDraft], template: SequenceTemplate = .shared,
        variables: PersonalisationVariables = .shared
    ) throws(ProviderProblem) -> [String: [SequenceStep]] {
        func reject(_ why: String) -> ProviderProblem { ProviderProblem(.unusable, "the campaign copy answer \(why)") }
        guard let entries = answer["campaigns"]?.arrayValue else { throw reject("has no campaigns list") }
        let wanted = Set(drafts.map(\.id))
        var copy: [String: [SequenceStep]] = [:]
        for (index, entry) in entries.enumerated() {
            guard let id = entry["id"]?.stringValue, wanted.contains(id) else {
                throw reject("names campaigns[\(index)] \(entry["id"]?.stringValue.map { "\"\($0)\"" } ?? "without an id"), not one of the campaigns asked for")
            }
            guard copy[id] == nil else { throw reject("has campaign \(id) twice") }
            guard let steps = entry["steps"]?.arrayValue, steps.count == template.steps.count else {
                throw reject("does not have \(template.steps.count) steps for campaign \(id)")
            }
            var written = template.steps
            var seen = Set<Int>()
            for (position, step) in steps.enumerated() {
                let place = "campaign \(id) steps[\(position)]"
                guard let number = step["step"]?.intValue, (1...Int64(template.steps.count)).contains(number), seen.insert(Int(number)).inserted else {
                    throw reject("has no step number 1–\(template.steps.count) used once at \(place)")
                }
                guard let subject = step["subject"]?.stringValue, let body = step["body"]?.stringValue else {
                    throw reject("has no subject or body text at \(place)")
                }
                let slot = Int(number) - 1
                let hasSubject = !template.steps[slot].subject.isEmpty
                let cleanSubject = hasSubject ? subject.trimmingCharacters(in: .whitespacesAndNewlines) : ""
                let cleanBody = body.trimmingCharacters(in: .whitespacesAndNewlines)
                if hasSubject {
                    guard !cleanSubject.isEmpty, cleanSubject.count <= maxSubjectCharacters, !cleanSubject.contains("\n") else {
                        throw reject("has no one-line subject of 1–\(maxSubjectCharacters) characters for campaign \(id) step \(number)")
                    }
                }
                guard bodyCharacters.contains(cleanBody.count) else {
                    throw reject("has a body of \(cleanBody.count) characters for campaign \(id) step \(number) (\(bodyCharacters.lowerBound)–\(bodyCharacters.upperBound) allowed)")
                }
                for (field, text) in [("subject", cleanSubject), ("body", cleanBody)] {
                    do { try variables.check(text, place: "campaign \(id) step \(number) \(field)") } catch {
                        throw reject("is not used: \(error)")
                    }
                    // An unclosed "{{first_name" passes the variable check but breaks in every sequencing tool.
                    if text.components(separatedBy: "{{").count != text.components(separatedBy: "}}").count {
                        throw reject("has unmatched {{ or }} in campaign \(id) step \(number) \(field)")
                    }
                    if !SequenceTemplate.slotsUsed(in: text).isEmpty {
                        throw reject("leaves a [[...]] mark in campaign \(id) step \(number) \(field)")
                    }
                }
                written[slot].subject = cleanSubject
                written[slot].body = cleanBody
            }
            copy[id] = written
        }
        if let missing = drafts.map(\.id).first(where: { copy[$0] == nil }) { throw reject("has no copy for campaign \(missing)") }
        return copy
    }
}
