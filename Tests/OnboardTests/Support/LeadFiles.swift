import Foundation
import OnboardEngine
import Testing

@testable import OnboardStages

/// Apollo-format CSV files and lead-stage trees for the lead tests.
enum LeadFiles {
    static let header = [
        "First Name", "Last Name", "Title", "Company", "Email", "Email Status", "Seniority", "# Employees", "Industry",
        "Person Linkedin Url", "Website", "City", "State", "Country", "Apollo Contact Id",
    ]

    /// One row of `header`, by column name; missing columns are empty.
    static func row(_ values: [String: String]) -> [String] { header.map { values[$0] ?? "" } }

    static func csv(header: [String] = header, _ rows: [[String]]) -> String {
        ([header] + rows).map { $0.map(LeadsCSV.escape).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    /// A dentist in Sydney unless told otherwise.
    static func lead(
        _ id: String, first: String = "Ana", last: String? = nil, title: String = "Practice Owner", company: String? = nil,
        email: String? = nil, status: String = "Verified", seniority: String = "Owner", employees: String = "12",
        industry: String = "dentists", linkedin: String? = nil, city: String = "Sydney", state: String = "New South Wales",
        country: String = "Australia"
    ) -> [String] {
        row([
            "First Name": first, "Last Name": last ?? "Lead\(id)", "Title": title, "Company": company ?? "Clinic \(id)",
            "Email": email ?? "lead\(id)@clinic\(id).example", "Email Status": status, "Seniority": seniority,
            "# Employees": employees, "Industry": industry,
            "Person Linkedin Url": linkedin ?? "http://www.linkedin.com/in/lead-\(id)", "Website": "http://clinic\(id).example", "City": city, "State": state,
            "Country": country, "Apollo Contact Id": String(repeating: "0", count: 24 - id.count) + id,
        ])
    }

    static func contactID(_ id: String) -> String { String(repeating: "0", count: 24 - id.count) + id }

    /// A confirmed ICP of a dental marketing agency in Australia.
    static let dentalICP: JSONValue = [
        "icp_industries": [["value": "Dental practices", "confidence": 80, "evidence": []]],
        "icp_locations": [["value": "Australia", "confidence": 80, "evidence": []]],
        "icp_titles": [["value": "Practice owners", "confidence": 80, "evidence": []]],
        "icp_company_sizes": [["value": "11-50", "confidence": 70, "evidence": []]],
        "icp_confirmed_at": "2026-11-25T09:30:00Z", "confirmed_by": "Dana",
    ]

    /// A tree whose pipeline is intake → confirm (a command that writes the given ICP) → leads
    /// (which reads the tier from intake, as in the default pipeline),
    /// with the tier `ignition` taking `quota` leads a month.
    static func tree(
        icp: JSONValue = dentalICP, quota: Int = 1250, exclusive: Bool = true, weights: JSONValue? = nil
    ) throws -> TestTree {
        let defaults = try JSONValue.parse(Data(contentsOf: TestTree.packageRoot.appendingPathComponent("pipeline.json")))
        var settings = defaults["settings"]!.objectValue!
        settings["exclusive_leads"] = .bool(exclusive)
        if let weights { settings["als_weights"] = weights }
        var tiers = defaults["tiers"]!.objectValue!
        var ignition = tiers["ignition"]!.objectValue!
        ignition["leads_per_month"] = .int(Int64(quota))
        tiers["ignition"] = .object(ignition)
        let tree = try TestTree(pipeline: ["settings": .object(settings), "tiers": .object(tiers), "stages": []])
        try tree.write("fixtures/icp.json", String(decoding: CanonicalJSON.data(icp), as: UTF8.self))
        let copy = "cp '\(tree.url("fixtures/icp.json").path)' \"$ONBOARD_OUT/icp.json\""
        var document = try tree.json("pipeline.json").objectValue!
        document["stages"] = [
            ["name": "intake", "needs": []],
            ["name": "confirm", "needs": ["intake"], "command": ["/bin/sh", "-c", .string(copy)]],
            ["name": "leads", "needs": ["confirm", "intake"]],
        ]
        try tree.writePipeline(.object(document))
        return tree
    }

    /// Drops a request for `client` and returns nothing; the job id is `request_id`.
    static func request(_ tree: TestTree, client: String, job: String, tier: String = "ignition") throws {
        try tree.request("\(job).json", [
            "company_name": .string("Client \(client)"), "website_url": .string("https://\(client).example"), "tier": .string(tier),
            "client_id": .string(client), "request_id": .string(job),
        ])
    }

    /// leads.csv of a job as rows of fields (a small reader: the tests' files hold no line breaks in fields).
    static func leads(_ tree: TestTree, job: String) throws -> [[String: String]] {
        let text = try #require(tree.read("outbox/\(job)/leads/leads.csv"))
        var rows = CSVRows.parse(text)
        let header = rows.removeFirst()
        return rows.map { Dictionary(zip(header, $0), uniquingKeysWith: { first, _ in first }) }
    }
}

/// A plain RFC 4180 reader for checking what the program wrote.
enum CSVRows {
    static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var characters = Array(text.unicodeScalars)[...]
        while let character = characters.popFirst() {
            if quoted {
                if character == "\"" {
                    if characters.first == "\"" {
                        field.unicodeScalars.append("\"")
                        characters.removeFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    field.unicodeScalars.append(character)
                }
            } else if character == "\"" {
                quoted = true
            } else if character == "," {
                row.append(field)
                field = ""
            } else if character == "\n" {
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            } else if character != "\r" {
                field.unicodeScalars.append(character)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}

extension LeadDatabase {
    /// Leads that fit, whoever holds them.
    func countFitting(_ fit: LeadFit) throws -> Int {
        try countAvailable([fit], client: "", exclusive: false)[0]
    }

    /// Leads that fit and that `client` may still take.
    func countAvailable(_ fit: LeadFit, client: String, exclusive: Bool = true) throws -> Int {
        try countAvailable([fit], client: client, exclusive: exclusive)[0]
    }
}

extension AnswerRecording {
    /// How many answers the series holds.
    var count: Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".json") && $0 != Self.seriesFile && !$0.hasPrefix(".") }.count
    }
}
