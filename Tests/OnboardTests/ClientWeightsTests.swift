import Foundation
import OnboardEngine
import Testing

@testable import OnboardStages

/// A client's own `als_weights`: given with the reviewer's confirmation, carried into
/// confirm/icp.json and the client record, and scoring that client's leads over pipeline.json's.
@Suite("a client's als_weights override the pipeline's")
struct ClientWeightsTests {
    static let now = LeadsStageTests.now

    // MARK: checking the edit

    @Test(arguments: [
        (#"{"als_weights": {"titel": 40}}"#, "als_weights.titel: unknown factor (factors: industry, title, size, location, email_status, completeness)"),
        (#"{"als_weights": {"title": "40"}}"#, "als_weights.title: must be a number from 0 to 100, not a string"),
        (#"{"als_weights": {"title": 101}}"#, "als_weights.title: must be a number from 0 to 100, not 101"),
        (#"{"als_weights": {"size": -5}}"#, "als_weights.size: must be a number from 0 to 100, not -5"),
        (#"{"als_weights": {"location": null}}"#, "als_weights.location: must be a number from 0 to 100, not null"),
        (#"{"als_weights": [25, 25]}"#, "als_weights: must be an object of factor weights"),
        (#"{"als_weights": {}}"#, "als_weights: must name at least one factor"),
    ])
    func aBadWeightIsRefusedNamingItsField(edit: String, message: String) throws {
        let value = try JSONValue.parse(Data(edit.utf8))
        let problem = #expect(throws: ICPEdit.Problem.self) { try ICPEdit.validate(value) }
        #expect(problem?.description.hasPrefix(message) == true, "\(problem?.description ?? "no problem")")
    }

    @Test func weightsThatLeaveEveryFactorAtZeroAreRefusedAgainstThePipelines() throws {
        let pipeline = LeadWeights(settings: ["industry": 0, "title": 0, "size": 0, "location": 0, "email_status": 100, "completeness": 0])
        let edit: JSONValue = ["als_weights": ["email_status": 0]]
        #expect(throws: ICPEdit.Problem.self) { try ICPEdit.validate(edit, pipelineWeights: pipeline) }
        #expect(throws: Never.self) { try ICPEdit.validate(edit, pipelineWeights: LeadWeights(settings: nil)) }
        let kept = try ICPEdit.validate(["als_weights": ["title": 40, "size": .double(12.5)]], pipelineWeights: pipeline)
        #expect(kept["als_weights"] == ["title": 40, "size": .double(12.5)], "whole numbers stay whole")
    }

    @Test func onboardConfirmRefusesABadWeightAndWritesNothing() throws {
        let tree = try Self.confirmTree()
        try LeadFiles.request(tree, client: "harbor", job: "harbor-1")
        try LeadsStageTests.run(tree)
        // Only email status counts in this tree's pipeline.json, so a client who zeroes it zeroes all.
        var document = try tree.json("pipeline.json").objectValue!
        var settings = document["settings"]!.objectValue!
        settings["als_weights"] = ["industry": 0, "title": 0, "size": 0, "location": 0, "email_status": 100, "completeness": 0]
        document["settings"] = .object(settings)
        try tree.writePipeline(.object(document))
        for (edit, words) in [
            (#"{"als_weights": {"titel": 40}}"#, "als_weights.titel: unknown factor (factors: industry, title,"),
            (#"{"als_weights": {"title": 400}}"#, "als_weights.title: must be a number from 0 to 100"),
            (#"{"als_weights": {"email_status": 0}}"#, "als_weights: with pipeline.json's settings.als_weights every factor would weigh 0"),
        ] {
            try tree.write("edit.json", edit)
            let output = try tree.onboard(["confirm", "harbor-1", "--edit", tree.url("edit.json").path])
            #expect(output.status == 1)
            #expect(output.stderr.contains("edit.json: \(words)"), "\(output.stderr)")
            #expect(!tree.exists("outbox/harbor-1/inputs/confirm.json"), "nothing written for a bad edit")
        }
    }

    @Test func aHandWrittenConfirmationWithABadWeightFailsTheConfirmStageNamingTheField() throws {
        let tree = try Self.confirmTree()
        try LeadFiles.request(tree, client: "harbor", job: "harbor-1")
        try LeadsStageTests.run(tree)
        try tree.write("outbox/harbor-1/inputs/confirm.json", #"""
            {"job_id": "harbor-1", "confirmed_by": "Dana", "confirmed_at": "2026-11-25T10:00:00Z", "edits": {"als_weights": {"titel": 40}}}
            """#)
        #expect(try tree.onboard(["run"], environment: Self.now).status == 1)
        let error = try tree.json("outbox/harbor-1/confirm/error.json")["error"]?.stringValue ?? ""
        #expect(error.contains("inputs/confirm.json: edits.als_weights.titel: unknown factor (factors: "), "\(error)")
    }

    @Test func theHTTPConfirmEndpointTakesWeightsAndNamesABadOneByItsPath() async throws {
        let tree = try ServeTests.intakeOnlyTree()
        let server = try FacadeProcess(tree: tree, environment: ["ONBOARD_NOW": ServeTests.now])
        let job = "harbor-dental-0123456789"
        try tree.write("outbox/\(job)/job.json", #"{"job_id": "\#(job)", "status": "waiting"}"#)
        let path = "/api/v1/onboarding/confirm"
        let bad = try await server.call("POST", path, json: ["job_id": .string(job), "edits": ["als_weights": ["titel": 40]]])
        #expect(bad.status == 400)
        #expect(bad.error?.hasPrefix("edits.als_weights.titel: unknown factor (factors: industry,") == true, "\(bad.error ?? "")")
        #expect(bad.json?["field"] == "edits.als_weights.titel")
        #expect(!tree.exists("outbox/\(job)/inputs/confirm.json"))
        let good = try await server.call("POST", path, json: ["job_id": .string(job), "edits": ["als_weights": ["title": 60]]])
        #expect(good.status == 200)
        #expect(try tree.json("outbox/\(job)/inputs/confirm.json")["edits"] == ["als_weights": ["title": 60]])
    }

    // MARK: scoring

    @Test func theConfirmationsWeightsChangeScoresAndTheBreakdownFactorByFactor() throws {
        var icp = LeadFiles.dentalICP.objectValue!
        // The pipeline's 25/25/20/15/10/5 with title at 75: 150 in all, so title is worth 50 of 100.
        icp["als_weights"] = ["title": 75]
        let rows: [[String]] = [
            LeadFiles.lead("1", title: "Practice Owner", status: "Unverified", employees: "900"),
            LeadFiles.lead("2", title: "Hygienist", seniority: "Entry", employees: "20"),
        ]
        let plain = try LeadFiles.tree()
        try LeadsStageTests.importLeads(plain, rows)
        try LeadFiles.request(plain, client: "harbor", job: "harbor-1")
        try LeadsStageTests.run(plain)
        let weighted = try LeadFiles.tree(icp: .object(icp))
        try LeadsStageTests.importLeads(weighted, rows)
        try LeadFiles.request(weighted, client: "harbor", job: "harbor-1")
        try LeadsStageTests.run(weighted)

        let before = try LeadFiles.leads(plain, job: "harbor-1"), after = try LeadFiles.leads(weighted, job: "harbor-1")
        #expect(before.map { $0["lead_id"] ?? "" } == ["2", "1"].map(LeadFiles.contactID), "size and email first")
        #expect(after.map { $0["lead_id"] ?? "" } == ["1", "2"].map(LeadFiles.contactID), "the title now leads")
        #expect(before.first { $0["lead_id"] == LeadFiles.contactID("1") }?["score_reasons"]?.contains("title 25/25 Practice Owner") == true)
        let owner = try #require(after.first { $0["lead_id"] == LeadFiles.contactID("1") }?["score_reasons"])
        for part in ["industry 16.7/16.7", "title 50/50 Practice Owner matches Practice owners", "size 0/13.3", "location 10/10", "email_status 2/6.7 Unverified"] {
            #expect(owner.contains(part), "\(owner)")
        }
        let ownerBefore = before.first { $0["lead_id"] == LeadFiles.contactID("1") }?["score"]
        #expect((ownerBefore, after[0]["score"]) == ("73", "82"), "25+25+0+15+3+5, then 16.7+50+0+10+2+3.3")

        let summary = try weighted.json("outbox/harbor-1/leads/summary.json")
        #expect(summary["als_weights"] == ["industry": 25, "title": 75, "size": 20, "location": 15, "email_status": 10, "completeness": 5])
        #expect(summary["als_weights_source"] == "confirm/icp.json")
        #expect(try plain.json("outbox/harbor-1/leads/summary.json")["als_weights_source"] == "pipeline.json")
        let read = try weighted.json("outbox/harbor-1/leads/stamp.json")["shared_state_read"]
        #expect(read?["client_record"] == nil, "the confirmation decided: the client record was not read")
    }

    @Test func aHandEditedConfirmedICPWithBadWeightsFailsTheLeadsStage() throws {
        var icp = LeadFiles.dentalICP.objectValue!
        icp["als_weights"] = ["industry": 0, "title": 0, "size": 0, "location": 0, "email_status": 0, "completeness": 0]
        let tree = try LeadFiles.tree(icp: .object(icp))
        try LeadsStageTests.importLeads(tree, [LeadFiles.lead("1")])
        try LeadFiles.request(tree, client: "harbor", job: "harbor-1")
        #expect(try tree.onboard(["run"], environment: Self.now).status == 1)
        let error = try tree.json("outbox/harbor-1/leads/error.json")["error"]?.stringValue ?? ""
        #expect(error.contains("weigh every factor 0"), "\(error)")
        icp["als_weights"] = ["titel": 10]
        try tree.write("fixtures/icp.json", String(decoding: CanonicalJSON.data(.object(icp)), as: UTF8.self))
        #expect(try tree.onboard(["rerun", "harbor-1", "confirm"], environment: Self.now).status == 0)
        #expect(try tree.onboard(["run"], environment: Self.now).status == 1)
        let named = try tree.json("outbox/harbor-1/leads/error.json")["error"]?.stringValue ?? ""
        #expect(named.contains("confirm/icp.json: als_weights.titel: unknown factor"), "\(named)")
    }

    // MARK: the client record

    @Test func theConfirmStageCarriesTheWeightsAndALaterJobOfTheClientInheritsThem() throws {
        let tree = try Self.harborWaitingForConfirmation()
        try tree.write("weights.json", #"{"als_weights": {"title": 75}, "icp_titles": ["Practice owners"]}"#)
        #expect(try tree.onboard(["confirm", "harbor-1", "--edit", tree.url("weights.json").path, "--by", "Dana"]).status == 0)
        try LeadsStageTests.run(tree)

        let confirmed = try tree.json("outbox/harbor-1/confirm/icp.json")
        #expect(confirmed["als_weights"] == ["title": 75])
        let record = try JSONValue.parse(Data(try tree.onboard(["icp", "get", "harbor", "--json"]).stdout.utf8))
        #expect(record["als_weights"] == ["title": 75])
        #expect(record["icp"]?["als_weights"] == nil, "the weights sit beside the ICP, not in it")
        #expect(record["icp_confirmed_at"] != .null)
        #expect(try tree.onboard(["icp", "get", "harbor"]).stdout.contains("als_weights: title 75"))
        #expect(try tree.json("outbox/harbor-1/leads/summary.json")["als_weights_source"] == "confirm/icp.json")
        let first = try LeadFiles.leads(tree, job: "harbor-1")
        #expect(first.map { $0["lead_id"] ?? "" } == ["1", "2"].map(LeadFiles.contactID))

        // The client's next job: confirmed without weights, scored by the client's.
        try LeadFiles.request(tree, client: "harbor", job: "harbor-2")
        try LeadsStageTests.run(tree)
        #expect(try tree.onboard(["confirm", "harbor-2", "--by", "Dana"]).status == 0)
        try LeadsStageTests.run(tree)
        #expect(try tree.json("outbox/harbor-2/confirm/icp.json")["als_weights"] == nil, "only when given")
        let summary = try tree.json("outbox/harbor-2/leads/summary.json")
        #expect(summary["als_weights_source"] == "client record")
        #expect(summary["als_weights"]?["title"] == 75)
        let read = try tree.json("outbox/harbor-2/leads/stamp.json")["shared_state_read"]
        #expect(read?["client_record"] == ["database": "state/onboard.sqlite", "client_id": "harbor", "als_weights": ["title": 75]])
        #expect(try LeadFiles.leads(tree, job: "harbor-2").map { $0["score_reasons"] ?? "" } == first.map { $0["score_reasons"] ?? "" })
        let kept = try JSONValue.parse(Data(try tree.onboard(["icp", "get", "harbor", "--json"]).stdout.utf8))
        #expect(kept["als_weights"] == ["title": 75], "a confirmation without weights keeps the client's")

        // Another client's job reads its own (empty) record and scores by pipeline.json's.
        try LeadFiles.request(tree, client: "other", job: "other-1")
        try LeadsStageTests.run(tree)
        #expect(try tree.onboard(["confirm", "other-1"]).status == 0)
        try LeadsStageTests.run(tree)
        #expect(try tree.json("outbox/other-1/leads/summary.json")["als_weights_source"] == "pipeline.json")
        #expect(try tree.json("outbox/other-1/leads/stamp.json")["shared_state_read"]?["client_record"]?["als_weights"] == .null)
    }

    @Test func changingTheWeightsOfTheConfirmationMakesLeadsStaleThroughConfirm() throws {
        let tree = try Self.harborWaitingForConfirmation()
        try tree.write("weights.json", #"{"als_weights": {"title": 75}}"#)
        #expect(try tree.onboard(["confirm", "harbor-1", "--edit", tree.url("weights.json").path]).status == 0)
        try LeadsStageTests.run(tree)
        #expect(try tree.stages("harbor-1")["leads"] == "done")
        let before = try #require(tree.read("outbox/harbor-1/leads/leads.csv"))

        try tree.write("weights.json", #"{"als_weights": {"title": 0, "email_status": 90}}"#)
        #expect(try tree.onboard(["confirm", "harbor-1", "--edit", tree.url("weights.json").path]).status == 0)
        let states = try tree.stages("harbor-1")
        #expect(states["confirm"] == "stale")
        #expect(states["leads"] != "done", "\(states)")
        try LeadsStageTests.run(tree)
        #expect(try tree.stages("harbor-1")["leads"] == "done")
        let after = try #require(tree.read("outbox/harbor-1/leads/leads.csv"))
        #expect(after != before)
        #expect(try LeadFiles.leads(tree, job: "harbor-1").map { $0["lead_id"] ?? "" } == ["2", "1"].map(LeadFiles.contactID))
        #expect(try tree.json("outbox/harbor-1/leads/summary.json")["als_weights"]?["email_status"] == 90)
        let stamp = try tree.json("outbox/harbor-1/leads/stamp.json")
        #expect(stamp["inputs"]?["confirm/icp.json"]?.stringValue == (try Digest.sha256(fileAt: tree.url("outbox/harbor-1/confirm/icp.json").path)))
    }

    /// A tree whose state holds the clients table as the first release created it, with `insert` run in it.
    static func olderClientDatabase(_ insert: String) throws -> TestTree {
        let tree = try TestTree(pipeline: ["stages": [["name": "intake", "needs": []]]])
        try FileManager.default.createDirectory(at: tree.url("state"), withIntermediateDirectories: true)
        let old = try SQLiteDatabase(path: tree.url("state/onboard.sqlite").path)
        try old.execute(
            """
            CREATE TABLE clients (
                client_id TEXT PRIMARY KEY, company_name TEXT, job_id TEXT, icp TEXT,
                icp_extracted_at TEXT, icp_confirmed_at TEXT, confirmed_by TEXT,
                onboarding_status TEXT NOT NULL DEFAULT 'pending', updated_at TEXT NOT NULL);
            \(insert);
            """)
        return tree
    }

    /// How many als_weights columns the clients table has.
    static func weightColumns(_ tree: TestTree) throws -> Int {
        try SQLiteDatabase(path: tree.url("state/onboard.sqlite").path)
            .prepare("PRAGMA table_info(clients)").rows { $0.text(1) ?? "" }.filter { $0 == "als_weights" }.count
    }

    @Test func anOlderClientDatabaseGetsTheColumnAndKeepsItsRecords() throws {
        let tree = try Self.olderClientDatabase(
            #"INSERT INTO clients VALUES ('harbor', 'Harbor', 'harbor-1', '{"icp_titles":[]}', '2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z', 'Dana', 'completed', '2026-11-02T00:00:00Z')"#)
        let record = try JSONValue.parse(Data(try tree.onboard(["icp", "get", "harbor", "--json"]).stdout.utf8))
        #expect(record["confirmed_by"] == "Dana" && record["onboarding_status"] == "completed")
        #expect(record["als_weights"] == .null)
        try tree.write("weights.json", #"{"als_weights": {"location": 40}}"#)
        let set = try tree.onboard(["icp", "set", "harbor", tree.url("weights.json").path])
        #expect(set.status == 0, "\(set.stderr)")
        let updated = try JSONValue.parse(Data(try tree.onboard(["icp", "get", "harbor", "--json"]).stdout.utf8))
        #expect(updated["als_weights"] == ["location": 40])
        #expect(updated["icp_confirmed_at"] == "2026-11-02T00:00:00Z", "weights alone leave the confirmed ICP as it was")
        try tree.write("clear.json", #"{"als_weights": null}"#)
        let clear = try tree.onboard(["icp", "set", "harbor", tree.url("clear.json").path])
        #expect(clear.status == 0, "\(clear.stderr)")
        let cleared = try JSONValue.parse(Data(try tree.onboard(["icp", "get", "harbor", "--json"]).stdout.utf8))
        #expect(cleared["als_weights"] == .null, "null clears the client's own weights")
        #expect(cleared["confirmed_by"] == "Dana")
        #expect(try ClientWeightsTests.weightColumns(tree) == 1)
    }

    /// Harbor's job harbor-1 run up to the reviewer, with two leads in the database.
    static func harborWaitingForConfirmation() throws -> TestTree {
        let tree = try confirmTree()
        try LeadsStageTests.importLeads(tree, [
            LeadFiles.lead("1", title: "Practice Owner", status: "Unverified", employees: "900"),
            LeadFiles.lead("2", title: "Hygienist", seniority: "Entry", employees: "20"),
        ])
        try LeadFiles.request(tree, client: "harbor", job: "harbor-1")
        try LeadsStageTests.run(tree)
        return tree
    }

    /// intake → apply (a command writing the dental ICP as apply would) → the real confirm → leads.
    static func confirmTree() throws -> TestTree {
        let tree = try LeadFiles.tree(exclusive: false)
        let applied: JSONValue = ["client_id": "harbor", "icp": LeadFiles.dentalICP, "confirmed": false, "applied": true]
        try tree.write("fixtures/client.json", String(decoding: CanonicalJSON.data(applied), as: UTF8.self))
        // Each job's apply names that job's client (its id before the last "-"), as the real stage does from the request.
        let copy = #"sed "s/\"harbor\"/\"${ONBOARD_JOB%-*}\"/" "# + "'\(tree.url("fixtures/client.json").path)' > \"$ONBOARD_OUT/client.json\""
        var document = try tree.json("pipeline.json").objectValue!
        document["stages"] = [
            ["name": "intake", "needs": []],
            ["name": "apply", "needs": ["intake"], "command": ["/bin/sh", "-c", .string(copy)]],
            ["name": "confirm", "needs": ["apply"], "inputs": ["confirm.json"]],
            ["name": "leads", "needs": ["confirm", "intake"]],
        ]
        try tree.writePipeline(.object(document))
        return tree
    }
}

@Suite("a client's als_weights on awkward inputs")
struct ClientWeightsEdgeTests {
    @Test func weightsSpoiledInTheDatabaseFailTheLeadsStageNamingTheRecord() throws {
        let tree = try ClientWeightsTests.confirmTree()
        try LeadsStageTests.importLeads(tree, [LeadFiles.lead("1")])
        try LeadFiles.request(tree, client: "harbor", job: "harbor-1")
        try LeadsStageTests.run(tree)
        let store = try SQLiteDatabase(path: tree.url("state/onboard.sqlite").path)
        try store.prepare("UPDATE clients SET als_weights = ? WHERE client_id = 'harbor'").bind(.text("{title: 40")).run()
        #expect(try tree.onboard(["confirm", "harbor-1"]).status == 0)
        #expect(try tree.onboard(["run"], environment: LeadsStageTests.now).status == 1)
        let error = try tree.json("outbox/harbor-1/leads/error.json")["error"]?.stringValue ?? ""
        #expect(error.contains("state/onboard.sqlite: client harbor's als_weights: must be an object of factor weights"), "\(error)")
        try store.prepare("UPDATE clients SET als_weights = ? WHERE client_id = 'harbor'").bind(.text(#"{"size": 250}"#)).run()
        #expect(try tree.onboard(["rerun", "harbor-1", "leads"], environment: LeadsStageTests.now).status == 1)
        let range = try tree.json("outbox/harbor-1/leads/error.json")["error"]?.stringValue ?? ""
        #expect(range.contains("als_weights.size: must be a number from 0 to 100, not 250"), "\(range)")
    }

    @Test func severalProcessesOpeningAnOlderDatabaseAtOnceAddTheColumnOnce() throws {
        let tree = try ClientWeightsTests.olderClientDatabase("INSERT INTO clients (client_id, updated_at) VALUES ('harbor', '2026-11-02T00:00:00Z')")
        let readers = try (0..<4).map { _ in try tree.start(["icp", "get", "harbor", "--json"]) }
        for reader in readers {
            let output = reader.finish()
            #expect(output.status == 0, "\(output.stderr)")
            #expect((try? JSONValue.parse(Data(output.stdout.utf8)))?["als_weights"] == .null)
        }
        #expect(try ClientWeightsTests.weightColumns(tree) == 1)
    }

    @Test func aWeightOfAFractionIsKeptAndScoresWithIt() throws {
        var icp = LeadFiles.dentalICP.objectValue!
        icp["als_weights"] = ["title": .double(37.5), "completeness": 0]
        let tree = try LeadFiles.tree(icp: .object(icp))
        try LeadsStageTests.importLeads(tree, [LeadFiles.lead("1")])
        try LeadFiles.request(tree, client: "harbor", job: "harbor-1")
        try LeadsStageTests.run(tree)
        let summary = try tree.json("outbox/harbor-1/leads/summary.json")
        #expect(summary["als_weights"]?["title"] == .double(37.5))
        #expect(summary["als_weights"]?["completeness"] == 0)
        let reasons = try LeadFiles.leads(tree, job: "harbor-1").first?["score_reasons"] ?? ""
        #expect(!reasons.contains("completeness"), "a factor weighed 0 is left out: \(reasons)")
        #expect(reasons.contains("title 34.9/34.9"), "37.5 of 107.5: \(reasons)")
    }
}
