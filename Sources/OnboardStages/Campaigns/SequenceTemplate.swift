import Foundation
import OnboardEngine

/// One step of a drafted sequence, as `campaigns.json` holds it. `delay_days` counts days after
/// the previous step (0 for the first), which is how Smartlead and Apollo count them too.
struct SequenceStep: Sendable, Equatable {
    var step: Int
    var channel: String
    var delayDays: Int
    var subject: String
    var body: String

    var json: JSONValue {
        [
            "step": .int(Int64(step)), "channel": .string(channel), "delay_days": .int(Int64(delayDays)),
            "subject": .string(subject), "body": .string(body),
        ]
    }

    static let channels: Set<String> = ["email", "linkedin"]
}

/// The offline sequence (`Resources/templates/sequence.json`): steps whose `[[slot]]` marks are
/// filled from the ICP when a campaign is drafted, and whose `{{variables}}` stay for the tool.
struct SequenceTemplate: Sendable {
    static let file = "templates/sequence.json"
    static let slots: Set<String> = [
        "client", "industry_phrase", "title_plural", "pain_point", "pain_point_short", "service", "service_short",
        "value_proposition", "proof_line",
    ]

    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    let steps: [SequenceStep]
    let sha256: String

    static let shared: SequenceTemplate = {
        do { return try parse(BundledData.data(file)) } catch {
            fatalError("the bundled \(file) is broken (\(error)); reinstall onboard")
        }
    }()

    /// Reads and checks a template: five steps, known channels, known slots, known variables.
    static func parse(_ data: Data, variables: PersonalisationVariables = .shared) throws -> SequenceTemplate {
        guard let document = try? JSONValue.parse(data), let entries = document["steps"]?.arrayValue else {
            throw Problem(description: "\(file): not an object with a steps list")
        }
        guard entries.count == 5 else { throw Problem(description: "\(file): a sequence has 5 steps, found \(entries.count)") }
        var steps: [SequenceStep] = []
        for (index, entry) in entries.enumerated() {
            let place = "\(file) steps[\(index)]"
            guard let channel = entry["channel"]?.stringValue, SequenceStep.channels.contains(channel) else {
                throw Problem(description: "\(place).channel must be email or linkedin")
            }
            guard let delay = entry["delay_days"]?.intValue, delay >= 0, delay <= 365 else {
                throw Problem(description: "\(place).delay_days must be an integer 0–365")
            }
            let step = SequenceStep(
                step: index + 1, channel: channel, delayDays: index == 0 ? 0 : Int(delay),
                subject: entry["subject"]?.stringValue ?? "", body: entry["body"]?.stringValue ?? "")
            for (field, text) in [("subject", step.subject), ("body", step.body)] {
                let unknownSlots = Self.slotsUsed(in: text).filter { !slots.contains($0) }
                if let slot = unknownSlots.first { throw Problem(description: "\(place).\(field) uses unknown slot [[\(slot)]]") }
                do { try variables.check(text, place: "\(place).\(field)") } catch { throw Problem(description: "\(error)") }
            }
            steps.append(step)
        }
        return SequenceTemplate(steps: steps, sha256: Digest.sha256(data))
    }

    static func slotsUsed(in text: String) -> [String] {
        var found: [String] = []
        var rest = text[...]
        while let open = rest.range(of: "[["), let close = rest[open.upperBound...].range(of: "]]") {
            found.append(String(rest[open.upperBound..<close.lowerBound]))
            rest = rest[close.upperBound...]
        }
        return found
    }

    /// The steps with every slot filled; blank paragraphs left by an empty slot are dropped.
    func draft(_ values: [String: String]) -> [SequenceStep] {
        steps.map { template in
            var step = template
            step.subject = Self.fill(template.subject, values)
            step.body = Self.fill(template.body, values)
            return step
        }
    }

    private static func fill(_ text: String, _ values: [String: String]) -> String {
        var result = text
        for (slot, value) in values.sorted(by: { $0.key < $1.key }) {
            result = result.replacingOccurrences(of: "[[\(slot)]]", with: value)
        }
        result = result.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "\n")
        while result.contains("\n\n\n") { result = result.replacingOccurrences(of: "\n\n\n", with: "\n\n") }
        return result.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
