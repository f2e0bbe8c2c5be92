import ArgumentParser
import Foundation
import OnboardEngine

extension Onboard {
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show where every job (or one) stands: a table, or JSON with --json.")

        @OptionGroup var tree: TreeOptions

        @Argument(help: "Only this job; shows each stage and why it is in its state.")
        var job: String?

        @Flag(name: .long, help: "Print {\"jobs\": [...]} as JSON.")
        var json = false

        func run() async throws {
            let code = try await runReportingErrors {
                let engine = tree.engine(quiet: true)
                let summaries = try engine.status(job: job)
                let order = try engine.loadTree().pipeline.order
                if json {
                    printJSON(.object(["jobs": .array(summaries.map { Self.json($0) })]))
                } else if let summary = summaries.first, job != nil {
                    print(StatusTable.stages(summary, order: order, colour: .forStandardOutput), terminator: "")
                } else {
                    print(StatusTable.jobs(summaries, order: order, colour: .forStandardOutput), terminator: "")
                }
                return .success
            }
            throw code
        }

        static func json(_ summary: JobSummary) -> JSONValue {
            .object([
                "id": .string(summary.id),
                "client_id": summary.clientID.map(JSONValue.string) ?? .null,
                "status": .string(summary.status.rawValue),
                "stages": .object(summary.stages.mapValues { .string($0.rawValue) }),
                "waiting_for": .object(summary.waitingFor.mapValues(JSONValue.string)),
                "error": summary.error.map(JSONValue.string) ?? .null,
            ])
        }
    }
}

/// Aligned plain-text tables for a terminal or a log.
enum StatusTable {
    static func jobs(_ summaries: [JobSummary], order: [String], colour: Colour = .off) -> String {
        if summaries.isEmpty { return "no jobs yet (drop a request into inbox/ and run `onboard run`)\n" }
        var rows = [["JOB", "CLIENT", "STATUS", "DONE", "NEXT"]]
        for summary in summaries {
            let done = order.filter { summary.stages[$0] == .done || summary.stages[$0] == .modified }.count
            var next = ""
            if let error = summary.error {
                next = error
            } else if let waiting = order.first(where: { summary.waitingFor[$0] != nil }) {
                next = summary.waitingFor[waiting] ?? ""
            } else if let stage = order.first(where: { summary.stages[$0] != .done && summary.stages[$0] != .modified }) {
                next = "\(stage) (\(summary.stages[stage]!.rawValue))"
            }
            rows.append([summary.id, summary.clientID ?? "-", summary.status.rawValue, "\(done)/\(order.count)", next])
        }
        return render(rows, colouring: 2, colour)
    }

    static func stages(_ summary: JobSummary, order: [String], colour: Colour = .off) -> String {
        var rows = [["STAGE", "STATE", "WHY"]]
        for stage in order {
            rows.append([stage, summary.stages[stage]?.rawValue ?? "pending", summary.reasons[stage] ?? ""])
        }
        let header = "job \(summary.id) (client \(summary.clientID ?? "-")): \(colour.paint(summary.status.rawValue))\n"
        return header + render(rows, colouring: 1, colour)
    }

    /// Pads every column to its widest cell; the state column is painted after padding so the
    /// escape codes never count as width.
    static func render(_ rows: [[String]], colouring column: Int? = nil, _ colour: Colour = .off) -> String {
        guard let width = rows.first?.count else { return "" }
        var widths = [Int](repeating: 0, count: width)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        return rows.map { row in
            row.enumerated().map { index, cell in
                let padded = index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
                guard index == column else { return padded }
                return colour.paint(cell) + String(repeating: " ", count: padded.count - cell.count)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}

/// Colour for job and stage states: only on a terminal, never when NO_COLOR is set (no-color.org)
/// or TERM is dumb, so logs and pipes get plain text.
struct Colour {
    let enabled: Bool

    static let off = Colour(enabled: false)

    static var forStandardOutput: Colour {
        let environment = ProcessInfo.processInfo.environment
        let noColour = !(environment["NO_COLOR"] ?? "").isEmpty
        return Colour(enabled: isatty(STDOUT_FILENO) == 1 && !noColour && environment["TERM"] != "dumb")
    }

    func paint(_ state: String) -> String {
        guard enabled else { return state }
        let code: String
        switch state {
        case "completed", "done": code = "32"
        case "failed": code = "31"
        case "waiting", "modified", "stale": code = "33"
        case "running", "ready": code = "36"
        default: return state
        }
        return "\u{1B}[\(code)m\(state)\u{1B}[0m"
    }
}
