import Foundation
import OnboardEngine
import Testing

@Suite("Intake: requests in the inbox become jobs, bad ones are rejected with the field named")
struct IntakeTests {
    static let good = TestTree.sampleRequest()

    static func with(_ key: String, _ value: JSONValue?) -> String {
        var fields = good
        fields[key] = value
        return String(decoding: CanonicalJSON.data(.object(fields)), as: UTF8.self)
    }

    /// name → (file text, expected field, words the error must contain)
    static let badRequests: [(String, String, String?, String)] = [
        ("empty", "", nil, "empty"),
        ("not-json", "{company_name: 1", nil, "not valid JSON"),
        ("array", "[1, 2]", nil, "not a JSON object"),
        ("unknown-key", with("budget", 5), "budget", "unknown field"),
        ("no-company", with("company_name", nil), "company_name", "required"),
        ("blank-company", with("company_name", "   "), "company_name", "empty"),
        ("long-company", with("company_name", .string(String(repeating: "a", count: 201))), "company_name", "at most 200"),
        ("company-number", with("company_name", 7), "company_name", "must be a string"),
        ("no-url", with("website_url", nil), "website_url", "required"),
        ("javascript-url", with("website_url", "javascript:alert(1)"), "website_url", "scheme javascript is not http or https"),
        ("ftp-url", with("website_url", "ftp://files.example/"), "website_url", "scheme ftp"),
        ("bare-host", with("website_url", "harbordental.example"), "website_url", "http:// or https://"),
        ("no-host", with("website_url", "https:///path"), "website_url", "no host"),
        ("userinfo-url", with("website_url", "https://user:pw@harbordental.example/"), "website_url", "user name or password"),
        ("space-url", with("website_url", "https://harbor dental.example/"), "website_url", "spaces"),
        ("long-url", with("website_url", .string("https://a.example/" + String(repeating: "x", count: 2040))), "website_url", "at most 2048"),
        ("no-tier", with("tier", nil), "tier", "required"),
        ("bad-tier", with("tier", "platinum"), "tier", "not a tier"),
        ("client-upper", with("client_id", "Harbor"), "client_id", "must match"),
        ("client-escape", with("client_id", "../etc"), "client_id", "must match"),
        ("client-slash", with("client_id", "a/b"), "client_id", "must match"),
        ("client-long", with("client_id", .string(String(repeating: "a", count: 65))), "client_id", "must match"),
        ("request-id-bad", with("request_id", "job 1"), "request_id", "must match"),
        ("seats-fraction", with("linkedin_seats", .double(1.5)), "linkedin_seats", "whole number"),
        ("seats-string", with("linkedin_seats", "7"), "linkedin_seats", "whole number"),
        ("seats-negative", with("linkedin_seats", -1), "linkedin_seats", "from 0 to 1000"),
        ("seats-large", with("linkedin_seats", 1001), "linkedin_seats", "from 0 to 1000"),
        ("email-bad", with("contact_email", "not-an-email"), "contact_email", "not an email"),
    ]

    @Test func everyKindOfBadRequestIsRejectedWithItsFieldAndKeptUntouched() throws {
        let tree = try TestTree(pipeline: ["stages": [["name": "intake", "needs": []]]])
        for (name, text, _, _) in Self.badRequests { try tree.write("inbox/\(name).json", text) }
        try tree.write("inbox/huge.json", "{\"company_name\": \"" + String(repeating: "x", count: 1 << 20) + "\"}")
        try tree.request("good.json", Self.good)

        let output = try tree.onboard(["run"])
        #expect(output.status == 1, "a rejected request makes the run exit 1")

        for (name, text, field, words) in Self.badRequests {
            #expect(tree.read("inbox/rejected/\(name).json") == text, "\(name): the rejected file is kept byte for byte")
            #expect(!tree.exists("inbox/\(name).json"), "\(name): moved out of the inbox")
            let error = try tree.json("inbox/rejected/\(name).error.json")
            #expect(error["file"]?.stringValue == "\(name).json")
            #expect(error["field"] == (field.map(JSONValue.string) ?? .null), "\(name): field")
            #expect(error["error"]?.stringValue?.contains(words) == true, "\(name): \(error["error"] ?? .null)")
        }
        let huge = try tree.json("inbox/rejected/huge.error.json")
        #expect(huge["field"] == .null)
        #expect(huge["error"]?.stringValue?.contains("larger than 1 MiB") == true)
        #expect(tree.jobIDs().count == 1, "only the good request made a job")
        #expect(tree.exists("inbox/good.json"), "accepted files stay in the inbox")
    }

    @Test func aSymlinkIsRefusedNotFollowed() throws {
        let tree = try TestTree(pipeline: ["stages": [["name": "intake", "needs": []]]])
        try tree.write("outside/secret.json", String(decoding: CanonicalJSON.data(.object(Self.good)), as: UTF8.self))
        try FileManager.default.createDirectory(at: tree.url("inbox"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: tree.url("inbox/link.json").path, withDestinationPath: tree.url("outside/secret.json").path)

        let output = try tree.onboard(["run"])
        #expect(output.status == 1)
        #expect(tree.jobIDs().isEmpty, "the link's target never became a job")
        let error = try tree.json("inbox/rejected/link.error.json")
        #expect(error["error"]?.stringValue?.contains("symbolic link") == true)
        #expect(tree.exists("outside/secret.json"), "the target is untouched")
    }

    @Test func theSameRequestTwiceMakesOneJobAndTheRequestIsKeptByteForByte() throws {
        let tree = try TestTree(pipeline: ["stages": [["name": "intake", "needs": []]]])
        let original = "{\"tier\": \"velocity\", \"company_name\": \"Harbor Dental Growth\", \"client_id\": \"harbor-dental\",\n \"website_url\": \"https://HarborDental.example\"}"
        try tree.write("inbox/first.json", original)
        // Same meaning, other bytes: other key order, other spacing, default port, host case.
        try tree.write("inbox/second.json", "{\"company_name\":\"Harbor  Dental Growth\",\"website_url\":\"https://harbordental.example:443/\",\"tier\":\"velocity\",\"client_id\":\"harbor-dental\"}")
        #expect(try tree.onboard(["run"]).status == 0)
        try tree.request("third.json", Self.good)
        #expect(try tree.onboard(["run"]).status == 0)

        let jobs = tree.jobIDs()
        #expect(jobs.count == 1)
        let job = try #require(jobs.first)
        #expect(job.hasPrefix("harbor-dental-") && job.count == "harbor-dental-".count + 10)
        let kept = tree.read("outbox/\(job)/request.json")
        #expect(kept == original || kept?.contains("Harbor  Dental") == true, "request.json holds one of the requests exactly as received")
        let normalised = try tree.json("outbox/\(job)/intake/request.json")
        #expect(normalised["website_url"] == "https://harbordental.example/")
        #expect(normalised["company_name"] == "Harbor Dental Growth")
        #expect(normalised["job_id"] == .string(job))
        let record = try tree.json("outbox/\(job)/job.json")
        #expect(record["client_id"] == "harbor-dental")
        #expect(record["status"] == "completed")
        #expect(tree.exists("inbox/first.json") && tree.exists("inbox/second.json") && tree.exists("inbox/third.json"))
    }

    @Test func aRequestIDBecomesTheJobIDAndCannotBeReusedByAnotherRequest() throws {
        let tree = try TestTree(pipeline: ["stages": [["name": "intake", "needs": []]]])
        var first = Self.good
        first["request_id"] = "signup-42"
        try tree.request("a.json", first)
        #expect(try tree.onboard(["run"]).status == 0)
        #expect(tree.jobIDs() == ["signup-42"])

        var other = first
        other["tier"] = "dominance"
        try tree.request("b.json", other)
        #expect(try tree.onboard(["run"]).status == 1)
        let error = try tree.json("inbox/rejected/b.error.json")
        #expect(error["field"] == "request_id")
        #expect(error["error"]?.stringValue?.contains("already used") == true)
        #expect(try tree.json("outbox/signup-42/intake/request.json")["tier"] == "velocity", "the first job is untouched")
    }

    @Test func withoutAClientIDTheHostGivesOne() throws {
        let tree = try TestTree(pipeline: ["stages": [["name": "intake", "needs": []]]])
        var fields = Self.good
        fields["client_id"] = nil
        fields["website_url"] = "https://www.Harbor-Dental.example/about"
        try tree.request("a.json", fields)
        #expect(try tree.onboard(["run"]).status == 0)
        let job = try #require(tree.jobIDs().first)
        #expect(job.hasPrefix("harbor-dental-example-"))
    }
}
