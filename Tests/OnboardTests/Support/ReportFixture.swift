import Foundation
import OnboardEngine

/// A completed job written by hand in the contract's formats, with hostile text wherever a
/// scraped page or an import could put it, for the report tests.
enum ReportFixture {
    static let hostile = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>"
    static let job = "harbor-dental-0123456789"

    static func item(_ value: String, _ confidence: Int, quote: String, url: String = "https://harbordental.example/services.html") -> JSONValue {
        ["value": .string(value), "confidence": .int(Int64(confidence)), "evidence": [["url": .string(url), "quote": .string(quote), "inferred": false]]]
    }

    static func stamp(_ stage: String, seconds: Double, provider: String? = "rules", cost: Double = 0) -> JSONValue {
        [
            "stage": .string(stage), "logic_version": 1, "inputs": [:], "settings_sha256": "0", "data_sha256": [:], "outputs": [:],
            "shared_state_read": .null, "provider": provider.map(JSONValue.string) ?? .null, "model": .null, "tokens": .null,
            "cost_usd": .double(cost), "started_at": "2026-11-25T09:30:00Z", "finished_at": "2026-11-25T09:30:02Z",
            "seconds": .double(seconds), "warnings": [], "tool_version": "0.1.0",
        ]
    }

    /// Writes every artifact the report shows into `folder` (named like a job).
    static func writeCompleted(into folder: URL) throws {
        func json(_ relative: String, _ value: JSONValue) throws {
            try write(relative, CanonicalJSON.data(value))
        }
        func write(_ relative: String, _ data: Data) throws {
            let target = folder.appendingPathComponent(relative)
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: target)
        }
        try json(
            "job.json",
            [
                "job_id": .string(job), "status": "completed", "current_step": .null, "completed_steps": 12, "total_steps": 12,
                "error_message": .null, "created_at": "2026-11-25T09:30:00Z", "started_at": "2026-11-25T09:30:00Z",
                "completed_at": "2026-11-25T09:31:00Z", "client_id": "harbor-dental", "website_url": "https://harbordental.example/",
            ])
        for (index, stage) in ["intake", "scrape", "parse", "icp", "enrich", "apply", "confirm", "allocate", "campaigns", "leads", "assign", "complete"].enumerated() {
            try json("\(stage)/stamp.json", stamp(stage, seconds: Double(index) * 0.5 + 0.25, cost: stage == "enrich" ? 0.0125 : 0))
        }
        try json(
            "scrape/pages.json",
            [
                "site": "https://harbordental.example/",
                "pages": [
                    ["url": "https://harbordental.example/services.html", "final_url": "https://harbordental.example/services.html", "status": 200,
                     "content_type": "text/html", "charset": "utf-8", "bytes": 10, "sha256": "0", "tier_used": 1, "file": "pages/002-services.html"],
                    ["url": "https://harbordental.example/evil", "final_url": "https://harbordental.example/evil", "status": 200,
                     "content_type": "text/html", "charset": "utf-8", "bytes": 10, "sha256": "0", "tier_used": 1, "file": "../../../etc/passwd"],
                ],
            ])
        try write("scrape/pages/002-services.html", Data("<html><body>we only work with dental practices</body></html>".utf8))
        let icp: JSONValue = [
            "company_description": item("Harbor Dental Growth helps dental practices grow", 90, quote: "helps dental practices grow"),
            "value_proposition": item("More booked patients", 70, quote: "more booked patients every month"),
            "services_offered": [item("Patient acquisition campaigns", 85, quote: "patient acquisition campaigns"), item(hostile, 40, quote: hostile)],
            "icp_industries": [item("Dental practices", 88, quote: "we only work with dental practices")],
            "icp_titles": [
                ["value": "Practice Owner", "confidence": 60,
                 "evidence": [["url": "javascript:alert(1)", "quote": "owners of busy practices", "inferred": true]]],
            ],
            "icp_company_sizes": [], "icp_locations": [item("Australia", 75, quote: "practices across Australia")],
            "icp_pain_points": [item("Empty chairs", 55, quote: "empty chairs cost you")],
            "icp_confirmed_at": "2026-11-25T10:00:00Z", "confirmed_by": "Dana Reviewer",
        ]
        try json("icp/icp.json", icp)
        try json("enrich/icp.json", icp)
        try json("confirm/icp.json", icp)
        try json("enrich/confidence.json", ["score": 74, "breakdown": ["industries": ["weight": 25, "points": 22]]])
        try json(
            "enrich/intelligence.json",
            [
                "proof_points": [["text": "Over 120 practices served", "url": "https://harbordental.example/about.html"], ["text": .string(hostile), "url": "javascript:alert(2)"]],
                "testimonials": [["quote": "They filled our book", "name": "Dr Lee", "title": "Owner", "company": "Smile Co", "url": "https://harbordental.example/"]],
                "reviews": ["rating_value": .double(4.8), "review_count": 37],
                "social_profiles": [["network": "linkedin", "url": "https://www.linkedin.com/company/harbor-dental"], ["network": "x", "url": "javascript:alert(3)"]],
                "buying_signals": [["signal": "hiring", "matched": "we're hiring", "url": "https://harbordental.example/careers.html", "quote": "we're hiring two coordinators"]],
            ])
        try json(
            "inputs/payment.json",
            ["event_id": "evt_1", "type": "checkout.session.completed", "client_id": "harbor-dental", "amount_total": 149_900, "currency": "aud",
             "livemode": false, "verified": true, "paid_at": "2026-11-25T09:45:00Z", "source": "stripe"])
        try json(
            "allocate/allocations.json",
            [
                "client_id": "harbor-dental", "tier": "velocity",
                "email_domains": [["domain": "mail-harbor.example", "warmup_days": 21, "health_score": 95]],
                "phones": [["number": "+61290001111", "country": "AU", "health_score": 90]], "linkedin_seats": 7,
                "pool_levels": ["domains": ["allocatable": 2, "buffer": .double(0.25)], "phones": ["allocatable": 5, "buffer": .double(0.8)]],
            ])
        try json("allocate/alerts.json", [["kind": "domains", "buffer": .double(0.25), "threshold": .double(0.4)]])
        try json(
            "campaigns/campaigns.json",
            [
                "campaigns": [
                    ["id": "c1", "name": "Dental owners AU", "segment": ["industry": "Dental practices", "location": "Australia"], "status": "draft",
                     "allocation_pct": 60,
                     "sequence": [["step": 1, "channel": "email", "delay_days": 0, "subject": "Empty chairs?", "body": .string("Hi {first_name},\n" + hostile)],
                                  ["step": 2, "channel": "linkedin", "delay_days": 3, "subject": "", "body": "Connecting"]]],
                    ["id": "c2", "name": .string(hostile), "segment": "Practice managers", "status": "draft", "allocation_pct": 40, "sequence": []],
                ]
            ])
        let quotedHostile = hostile.replacingOccurrences(of: "\"", with: "\"\"")
        let leads = #"""
            lead_id,score,score_reasons,First Name,Last Name,Title,Company,Email,Industry,# Employees,City,State,Country
            l1,92,"title matches, industry matches",Ana,Lopez,Practice Owner,Smile Co,ana@smile.example,Dental,12,Sydney,NSW,Australia
            l2,75,industry matches,Ben,Ng,Practice Manager,"Bright, Teeth",ben@bright.example,Dental,45,Melbourne,VIC,Australia
            l3,41,location only,"Cara ""CJ""",Jones,"\#(quotedHostile)","Ortho ""Plus""",cara@ortho.example,Orthodontics,"1,200",Perth,WA,Australia
            l4,8,weak,Dan,Roe,Receptionist,Front Desk,dan@front.example,Dental,,Auckland,,New Zealand

            """#
        try write("leads/leads.csv", Data(leads.replacingOccurrences(of: "\n", with: "\r\n").utf8))
        try json("leads/summary.json", ["requested": 2250, "found": 4])
        try write(
            "assign/assignments.csv",
            Data("lead_id,email,campaign_id,score,reasons\nl1,ana@smile.example,c1,92,x\nl2,ben@bright.example,c1,75,x\nl3,cara@ortho.example,c2,41,x\nl4,dan@front.example,c9,8,x\n".utf8))
        try json("assign/summary.json", ["assigned": 4])
        try json("complete/summary.json", ["campaigns": 2, "leads": 4])
    }
}
