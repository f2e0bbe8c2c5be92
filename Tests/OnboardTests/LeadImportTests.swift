import Foundation
import OnboardEngine
import Testing

@testable import OnboardStages

@Suite("onboard leads import: Apollo's people export into the local lead database")
struct LeadImportTests {
    /// The stored value of `column` for the lead with this contact id (or email).
    static func stored(_ tree: TestTree, _ column: String, contact: String) throws -> String? {
        let leads = try LeadDatabase(stateDirectory: tree.url("state"))
        return try leads.database.prepare("SELECT \(column) FROM leads WHERE apollo_contact_id = ? OR email_key = ?")
            .bind(.text(contact), .text(contact)).rows { $0.isNull(0) ? nil : ($0.text(0) ?? "") }.first ?? nil
    }

    static func count(_ tree: TestTree) throws -> Int { try LeadDatabase(stateDirectory: tree.url("state")).count() }

    @Test func quotedCommasNewlinesQuotesABOMAndCRLFAreReadAsApolloWritesThem() throws {
        let tree = try TestTree()
        let text = "\u{FEFF}First Name,Last Name,Title,Company Name,Email,Email Status,Seniority,# Employees,Industry,Keywords,City,State,Country,Corporate Phone,SEO Description,Apollo Contact Id\r\n"
            + "Ana,O'Brien,\"Owner, Principal\",\"Smile \"\"Bright\"\" Co\",Ana@Smile.example,Verified,C suite,\"1,200\",Dentists,\"implants, whitening\",Sydney,New South Wales,Australia,'+61 2 4935 0200,\"First line\r\nsecond, line\",aaaaaaaaaaaaaaaaaaaaaaa1\r\n"
            + "Bob,Lee,VP Ops,Acme,,,Vp,,hospital & health care,,,,,,,aaaaaaaaaaaaaaaaaaaaaaa2\r\n"
        try tree.write("export.csv", text)
        let output = try tree.onboard(["leads", "import", tree.url("export.csv").path])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.split(separator: "\n").count == 1, "one summary line when not on a terminal")
        #expect(output.stdout.contains("imported 2 leads"))
        #expect(output.stderr.isEmpty, "no progress drawn off a terminal: \(output.stderr)")
        let ana = "aaaaaaaaaaaaaaaaaaaaaaa1"
        #expect(try Self.stored(tree, "first_name", contact: ana) == "Ana", "the BOM is not part of the first header")
        #expect(try Self.stored(tree, "title", contact: ana) == "Owner, Principal")
        #expect(try Self.stored(tree, "company", contact: ana) == "Smile \"Bright\" Co", "Company Name is Company")
        #expect(try Self.stored(tree, "seniority", contact: ana) == "c_suite")
        #expect(try Self.stored(tree, "employees", contact: ana) == "1200")
        #expect(try Self.stored(tree, "email_key", contact: ana) == "ana@smile.example")
        #expect(try Self.stored(tree, "email", contact: ana) == "Ana@Smile.example", "the value is kept as written")
        let extra = try JSONValue.parse(Data(try #require(try Self.stored(tree, "extra", contact: ana)).utf8))
        let pairs = try #require(extra.arrayValue).compactMap { $0.arrayValue?.compactMap(\.stringValue) }
        #expect(pairs.contains(["Corporate Phone", "+61 2 4935 0200"]), "the spreadsheet apostrophe is not part of the number")
        #expect(pairs.contains(["SEO Description", "First line\r\nsecond, line"]), "unknown columns are kept as they came")
        let bob = "aaaaaaaaaaaaaaaaaaaaaaa2"
        #expect(try Self.stored(tree, "seniority", contact: bob) == "vp")
        #expect(try Self.stored(tree, "email", contact: bob) == nil, "an empty cell is no value")
        #expect(try Self.stored(tree, "employees", contact: bob) == nil)
        #expect(try Self.stored(tree, "industry_key", contact: bob) == "hospital and health care")
    }

    @Test func headersAreMatchedByNameInAnyCaseAndOrder() throws {
        let tree = try TestTree()
        try tree.write("drift.csv", "apollo contact id,EMAIL,company,first name,LAST NAME,Person LinkedIn URL,Some New Column\nbbbbbbbbbbbbbbbbbbbbbbb1,x@y.example,Acme,Cy,Dee,https://linkedin.com/in/cy,kept\n")
        let output = try tree.onboard(["leads", "import", tree.url("drift.csv").path, "--json"])
        #expect(output.status == 0, "\(output.stderr)")
        let report = try JSONValue.parse(Data(output.stdout.utf8))
        #expect(report["rows"] == 1)
        #expect(report["kept_columns"] == ["Some New Column"])
        #expect(try Self.stored(tree, "company", contact: "bbbbbbbbbbbbbbbbbbbbbbb1") == "Acme")
        #expect(try Self.stored(tree, "linkedin_url", contact: "bbbbbbbbbbbbbbbbbbbbbbb1") == "https://linkedin.com/in/cy")
        #expect(try Self.stored(tree, "extra", contact: "bbbbbbbbbbbbbbbbbbbbbbb1") == #"[["Some New Column","kept"]]"#)
    }

    @Test func badRowsAreReportedByTheirFirstLineAndGoodRowsStillImported() throws {
        let tree = try TestTree()
        let rows = [
            "First Name,Last Name,Company,Email,# Employees,SEO Description,Apollo Contact Id",
            "Ana,Diaz,Smile,ana@smile.example,12,\"two",  // line 2, spans to line 3
            "lines\",c1",
            "Bob,Lee,Acme,bob@acme.example,many,,c2",  // line 4: employees
            "Cat,Ng,Acme,not-an-email,5,,c3",  // line 5: email
            "Dan,Ray,Acme,dan@acme.example,5,c4",  // line 6: a field short
            ",,,,,,",  // line 7: nothing to know the lead by
            "",  // line 8: a blank line is no row
            "Eve,Fox,Beta,eve@beta.example,7,,c5",  // line 9
            "Fay,Gil,Beta,\"fay@beta.example\"x,7,,c6",  // line 10: text after a closing quote
            "Gus,Hal,Beta,gus@beta.example,7,,c7",  // line 11
        ]
        try tree.write("bad.csv", rows.joined(separator: "\n") + "\n")
        let output = try tree.onboard(["leads", "import", tree.url("bad.csv").path])
        #expect(output.status == 1, "bad rows make the exit code 1")
        let lines = output.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 5, "\(output.stderr)")
        #expect(lines.contains { $0.hasSuffix("line 4: # Employees \"many\" is not a whole number") })
        #expect(lines.contains { $0.contains("line 5: Email \"not-an-email\" is not an address") })
        #expect(lines.contains { $0.contains("line 6: 6 fields where the header has 7") })
        #expect(lines.contains { $0.contains("line 7: no Apollo Contact Id") })
        #expect(lines.contains { $0.contains("line 10: text follows the closing quote") })
        #expect(try Self.count(tree) == 3, "Ana, Eve and Gus")
        #expect(try Self.stored(tree, "first_name", contact: "c7") == "Gus", "the row after a malformed one is read")
        #expect(output.stdout.contains("imported 3 leads") && output.stdout.contains("5 bad rows"))
    }

    @Test func anUnclosedQuoteIsReportedAtItsLineAndTheRowsBeforeItKept() throws {
        let tree = try TestTree()
        try tree.write("open.csv", "Email,Apollo Contact Id\na@b.example,c1\n\"c@d.example,c2\ne@f.example,c3\n")
        let output = try tree.onboard(["leads", "import", tree.url("open.csv").path])
        #expect(output.status == 1)
        #expect(output.stderr.contains("line 3: a quoted field is not closed before the end of the file"), "\(output.stderr)")
        #expect(try Self.count(tree) == 1)
    }

    @Test func aFileWithoutAColumnThatNamesALeadIsRefusedWhole() throws {
        let tree = try TestTree()
        try tree.write("nothing.csv", "Title,Industry\nCEO,Dentists\n")
        let output = try tree.onboard(["leads", "import", tree.url("nothing.csv").path])
        #expect(output.status == 1)
        #expect(output.stderr.contains("nothing.csv: line 1: no column names a lead"), "\(output.stderr)")
        try tree.write("empty.csv", "")
        let empty = try tree.onboard(["leads", "import", tree.url("empty.csv").path])
        #expect(empty.status == 1)
        #expect(empty.stderr.contains("is empty"))
        let missing = try tree.onboard(["leads", "import", tree.url("missing.csv").path])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("missing.csv: cannot be read"))
        #expect(try Self.count(tree) == 0)
    }

    @Test func aLaterExportUpdatesByContactIdThenByEmailAndKeepsWhatItLacks() throws {
        let tree = try TestTree()
        try tree.write("first.csv", LeadFiles.csv([
            LeadFiles.lead("1", title: "Dentist", email: "one@a.example"),
            LeadFiles.lead("2", title: "Dentist", email: "two@b.example"),
        ]))
        #expect(try tree.onboard(["leads", "import", tree.url("first.csv").path]).status == 0)
        // Same contact id with a new title; another contact id with the second lead's email (in
        // capitals); a column the later file lacks keeps its value.
        try tree.write("second.csv", "Title,Email,Apollo Contact Id\nPractice Owner,,\(LeadFiles.contactID("1"))\nPractice Manager,TWO@B.example,\(LeadFiles.contactID("9"))\nOwner,new@c.example,\(LeadFiles.contactID("3"))\n")
        let output = try tree.onboard(["leads", "import", tree.url("second.csv").path, "--json"])
        #expect(output.status == 0, "\(output.stderr)")
        let report = try JSONValue.parse(Data(output.stdout.utf8))
        #expect(report["inserted"] == 1)
        #expect(report["updated"] == 2)
        #expect(try Self.count(tree) == 3)
        #expect(try Self.stored(tree, "title", contact: LeadFiles.contactID("1")) == "Practice Owner")
        #expect(try Self.stored(tree, "email", contact: LeadFiles.contactID("1")) == "one@a.example", "an empty cell does not erase")
        #expect(try Self.stored(tree, "title", contact: "two@b.example") == "Practice Manager")
        #expect(try Self.stored(tree, "lead_id", contact: "two@b.example") == LeadFiles.contactID("2"), "the lead keeps its id")
    }

    @Test func leadsWithoutAContactIdGetAStableIdOfTheirOwn() throws {
        let tree = try TestTree()
        try tree.write("plain.csv", "First Name,Last Name,Company,Email\nAna,Diaz,Smile,ana@smile.example\nBo,Li,Acme,\n")
        #expect(try tree.onboard(["leads", "import", tree.url("plain.csv").path]).status == 0)
        let first = try Self.stored(tree, "lead_id", contact: "ana@smile.example")
        #expect(first?.hasPrefix("lead-") == true)
        try tree.write("again.csv", "First Name,Last Name,Company,Email,Title\nAna,Diaz,Smile,ana@smile.example,Owner\nBo,Li,Acme,,CEO\n")
        let again = try tree.onboard(["leads", "import", tree.url("again.csv").path, "--json"])
        #expect(try JSONValue.parse(Data(again.stdout.utf8))["updated"] == 2, "same email, and same name at the same company, are the same leads")
        #expect(try Self.stored(tree, "lead_id", contact: "ana@smile.example") == first)
        #expect(try Self.count(tree) == 2)
    }

    @Test func aRowThatIsNotUTF8IsReportedNotStoredAsGarbage() throws {
        let tree = try TestTree()
        var bytes = Data("First Name,Email,Apollo Contact Id\nJos".utf8)
        bytes.append(0xE9)  // Latin-1 "é"
        bytes.append(contentsOf: Data(",jose@a.example,c1\nZoë,zoe@a.example,c2\n".utf8))
        try bytes.write(to: tree.url("latin1.csv"))
        let output = try tree.onboard(["leads", "import", tree.url("latin1.csv").path])
        #expect(output.status == 1)
        #expect(output.stderr.contains("line 2: field 1 (First Name) is not UTF-8 text"), "\(output.stderr)")
        #expect(try Self.stored(tree, "first_name", contact: "c2") == "Zoë")
        #expect(try Self.count(tree) == 1)
    }

    @Test func anEmptyLeadDatabaseGivesAShortfallNotAFailure() throws {
        let tree = try LeadFiles.tree()
        try LeadFiles.request(tree, client: "harbor", job: "harbor-1")
        #expect(try tree.onboard(["run"]).status == 0)
        let summary = try tree.json("outbox/harbor-1/leads/summary.json")
        #expect(summary["sourced"] == 0 && summary["shortfall"] == 1250)
        #expect(tree.read("outbox/harbor-1/leads/leads.csv")?.split(separator: "\n").count == 1, "the header alone")
    }
}
