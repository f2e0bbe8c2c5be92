import Foundation
import OnboardEngine

/// Trees for the post-onboarding stages: the stages before `campaigns` (and `leads` and
/// `allocate`, built beside them) are command stages that copy their artifacts, written in the
/// contract's formats, from the tree's `fixtures/<stage>/` folder.
enum PostOnboardingFixtures {
    static func copy(_ name: String, needs: [String]) -> JSONValue {
        [
            "name": .string(name), "needs": .array(needs.map(JSONValue.string)),
            "command": ["/bin/sh", "-c", .string("cp ../../fixtures/\(name)/* \"$ONBOARD_OUT/\"")],
        ]
    }

    /// With `realLeads`, the built-in leads stage sources from the tree's lead database.
    static func stages(realLeads: Bool = false) -> JSONValue {
        [
            ["name": "intake", "needs": []],
            copy("enrich", needs: ["intake"]),
            copy("confirm", needs: ["enrich"]),
            copy("allocate", needs: ["intake"]),
            ["name": "campaigns", "needs": ["confirm", "enrich", "intake"]],
            realLeads ? ["name": "leads", "needs": ["confirm"]] : copy("leads", needs: ["confirm"]),
            ["name": "assign", "needs": ["campaigns", "leads"]],
            ["name": "complete", "needs": ["assign", "allocate"]],
        ]
    }

    static func item(_ value: String, _ confidence: Int = 80) -> JSONValue {
        ["value": .string(value), "confidence": .int(Int64(confidence)), "evidence": []]
    }

    static var icp: JSONValue {
        [
            "company_description": item("Harbor Dental Growth runs patient acquisition for dental and medical practices."),
            "value_proposition": item("More booked appointments without more front-desk work."),
            "services_offered": [item("Patient recall campaigns", 90), item("Local SEO for dental practices", 85), item("Google Ads management", 70)],
            "icp_industries": [item("Dentists", 95), item("Medical Practice", 80), item("Law Practice", 60)],
            "icp_titles": [item("Practice Owner", 90), item("Practice Manager", 85), item("Managing Partner", 60)],
            "icp_company_sizes": [item("1-10"), item("11-50")],
            "icp_locations": [item("Australia")],
            "icp_pain_points": [item("Empty chairs on weekdays", 80), item("Too few new patients", 75), item("Slow intake of new clients", 60)],
            "icp_confirmed_at": "2026-11-25T10:00:00Z", "confirmed_by": "Dana",
        ]
    }

    static var intelligence: JSONValue {
        [
            "proof_points": [["text": "Trusted by 120 practices across Australia", "url": "http://127.0.0.1/about.html"]],
            "testimonials": [["quote": "Our weekday books are full.", "name": "Dr Lee", "title": "Owner", "company": "Bright Smiles"]],
            "reviews": .null, "social_profiles": [], "buying_signals": [],
        ]
    }

    static var allocations: JSONValue {
        [
            "client_id": "harbor-dental", "tier": "velocity",
            "email_domains": [
                ["domain": "mail-harbor.example", "warmup_days": 21, "health_score": 95],
                ["domain": "team-harbor.example", "warmup_days": 14, "health_score": 90],
            ],
            "phones": [["number": "+61290001111", "country": "AU", "health_score": 90]],
            "linkedin_seats": 7, "pool_levels": ["domains": [:], "phones": [:]],
        ]
    }

    static let leadColumns = [
        "lead_id", "score", "score_reasons", "First Name", "Last Name", "Title", "Company", "Email", "Industry", "Seniority",
        "# Employees", "City", "State", "Country",
    ]

    /// 40 leads: 24 dental, 10 medical, 6 legal; one company name with a comma and quotes.
    static var leadsCSV: String {
        let first = ["Ava", "Noah", "Mia", "Liam", "Zoe", "Ethan", "Ivy", "Lucas"]
        let last = ["Nguyen", "Smith", "Patel", "Brown", "Wilson", "Taylor", "Khan", "Martin"]
        var rows = [leadColumns]
        for index in 0..<40 {
            let (industry, title, company): (String, String, String) =
                index < 24 ? ("Dentists", index % 2 == 0 ? "Practice Owner" : "Practice Manager", "Smile Studio \(index)")
                : index < 34 ? ("Medical Practice", "Practice Manager", "Family Clinic \(index)")
                : ("Law Practice", "Managing Partner", index == 34 ? "Smith, Jones & \"Partners\"" : "Legal Group \(index)")
            rows.append([
                String(format: "lead-%03d", index), String(90 - index), "industry 25; title 25", first[index % 8], last[index % 8],
                title, company, "\(first[index % 8].lowercased()).\(index)@leads.example", industry, "owner", "11-50", "Sydney",
                "New South Wales", "Australia",
            ])
        }
        return rows.map { row in row.map(csvField).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    static func csvField(_ value: String) -> String {
        value.contains(",") || value.contains("\"") ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
    }

    /// A tree with the fixtures in place and one request of `tier` (job id = `request_id`).
    /// An Apollo people export for `onboard leads import`: `dental` dentists and `medical` medical
    /// practices in Australia, and leads that fit no segment of the fixture ICP (other countries,
    /// other industries).
    static func apolloExport(dental: Int, medical: Int) -> String {
        let header = ["First Name", "Last Name", "Title", "Company", "Email", "Email Status", "Seniority", "# Employees", "Industry", "City", "State", "Country"]
        var rows = [header]
        func add(_ index: Int, _ industry: String, _ title: String, _ country: String) {
            rows.append([
                "Person\(index)", "Lead\(index)", title, "Company \(index)", "person\(index)@company\(index).example", "Verified", "Owner",
                "20", industry, country == "Australia" ? "Sydney" : "Denver", country == "Australia" ? "New South Wales" : "Colorado", country,
            ])
        }
        for index in 0..<dental { add(index, "Dentists", "Practice Owner", "Australia") }
        for index in 0..<medical { add(1000 + index, "Medical Practice", "Practice Manager", "Australia") }
        for index in 0..<15 { add(2000 + index, "Dentists", "Practice Owner", "United States") }
        for index in 0..<15 { add(3000 + index, "Mining & Metals", "Plant Manager", "Australia") }
        return rows.map { $0.map(csvField).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    static func tree(
        tier: String = "velocity", job: String = "harbor-job", settings: [String: JSONValue] = [:], realLeads: Bool = false
    ) throws -> TestTree {
        let defaults = try JSONValue.parse(Data(contentsOf: TestTree.packageRoot.appendingPathComponent("pipeline.json")))
        var merged = defaults["settings"]!.objectValue!
        for (key, value) in settings { merged[key] = value }
        let tree = try TestTree(pipeline: ["stages": stages(realLeads: realLeads), "settings": .object(merged)])
        try tree.write("fixtures/enrich/intelligence.json", String(decoding: CanonicalJSON.data(intelligence), as: UTF8.self))
        try tree.write("fixtures/confirm/icp.json", String(decoding: CanonicalJSON.data(icp), as: UTF8.self))
        try tree.write("fixtures/allocate/allocations.json", String(decoding: CanonicalJSON.data(allocations), as: UTF8.self))
        try tree.write("fixtures/leads/leads.csv", leadsCSV)
        try tree.write("fixtures/leads/summary.json", #"{"requested": 2250, "matched": 40, "sourced": 40}"#)
        var request = TestTree.sampleRequest(tier: tier)
        request["request_id"] = .string(job)
        try tree.request("\(job).json", request)
        return tree
    }
}
