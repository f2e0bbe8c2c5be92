import ArgumentParser
import Foundation
import OnboardEngine
import OnboardStages

extension Onboard {
    struct Leads: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The local lead database (state/leads.sqlite).", subcommands: [Import.self])

        struct Import: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Import Apollo's people export (CSV) into the local lead database.",
                discussion: """
                    Columns are matched by name, case- and space-insensitively, across export versions (Company or
                    Company Name); columns the database does not know are kept with each lead. A lead already in the
                    database (same Apollo Contact Id, else same Email) is updated. Good rows are imported; each bad
                    row is reported as `line N: ...` (the header is line 1) and the exit code is 1.
                    """)

            @OptionGroup var tree: TreeOptions

            @Argument(help: ArgumentHelp("The CSV file.", valueName: "file.csv"))
            var file: String

            @Flag(name: .long, help: "Print the outcome as JSON.")
            var json = false

            func run() async throws {
                let code = try await runReportingErrors {
                    let loaded = try tree.engine().loadTree()
                    let terminal = isatty(STDERR_FILENO) == 1
                    let started = Date()
                    let report: LeadImportReport
                    do {
                        report = try LeadImport.run(
                            file: URL(fileURLWithPath: file), stateDirectory: loaded.state,
                            progress: terminal
                                ? { rows, fraction in
                                    FileHandle.standardError.write(Data("\r\u{1B}[Kimporting: \(rows) rows (\(Int(fraction * 100)) %)".utf8))
                                } : nil)
                    } catch let error as LeadImportError {
                        FileHandle.standardError.write(Data("onboard leads import: \(error)\n".utf8))
                        return ExitCode(1)
                    }
                    if terminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
                    let shown = 200
                    for problem in report.problems.prefix(shown) {
                        FileHandle.standardError.write(Data("\(file): \(problem)\n".utf8))
                    }
                    if report.problems.count > shown {
                        FileHandle.standardError.write(Data("\(file): ... and \(report.problems.count - shown) more bad rows\n".utf8))
                    }
                    let seconds = Date().timeIntervalSince(started)
                    if json {
                        printJSON([
                            "file": .string(file), "rows": .int(Int64(report.rows)), "inserted": .int(Int64(report.inserted)),
                            "updated": .int(Int64(report.updated)), "bad_rows": .int(Int64(report.problems.count)),
                            "problems": .array(report.problems.map { ["line": .int(Int64($0.line)), "error": .string($0.message)] }),
                            "kept_columns": .array(report.keptColumns.map(JSONValue.string)),
                        ])
                    } else {
                        print(
                            "imported \(report.rows) leads from \(file) (\(report.inserted) new, \(report.updated) updated), \(report.problems.count) bad rows, in \(String(format: "%.1f", seconds)) s"
                        )
                    }
                    return report.problems.isEmpty ? .success : ExitCode(1)
                }
                throw code
            }
        }
    }
}
