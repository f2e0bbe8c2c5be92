import Foundation
import LoopbackServer
import OnboardEngine
import Testing

@testable import OnboardStages

/// The offline extractor measured on hand-labelled fixture sites of nine kinds of business,
/// scored as the ICP dev set's scorer scores (per field: recall over the needed concepts,
/// precision over the items, F1; a field the site says nothing about scores the share of items
/// that are not invented).
@Suite("ICP quality on labelled fixture sites")
struct ICPQualityTests {
    /// Set from measurement, a little below what the extractor reaches, so a regression fails.
    static let macroFloor = 0.83

    static let fields = [("industries", "icp_industries"), ("titles", "icp_titles"), ("locations", "icp_locations"), ("services", "services_offered")]

    static func matches(_ value: String, _ concept: [String]) -> Bool {
        concept.contains { pattern in
            (try? NSRegularExpression(pattern: pattern)).map {
                $0.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) != nil
            } ?? false
        }
    }

    static func cell(_ values: [String], need: [[String]], ok: [[String]]) -> Double {
        let right = values.filter { value in (need + ok).contains { matches(value, $0) } }
        if need.isEmpty { return values.isEmpty ? 1 : Double(right.count) / Double(values.count) }
        if values.isEmpty { return 0 }
        let recall = Double(need.filter { concept in values.contains { matches($0, concept) } }.count) / Double(need.count)
        let precision = Double(right.count) / Double(values.count)
        return recall + precision == 0 ? 0 : 2 * recall * precision / (recall + precision)
    }

    @Test func theExtractorReachesItsFloorAndEveryQuoteHolds() throws {
        let labels = try JSONValue.parse(Data(contentsOf: TestTree.packageRoot.appendingPathComponent("Tests/OnboardTests/Fixtures/icp-labels.json")))
        let folders = try #require(labels["_sites"]?.objectValue)
        let slugs = folders.keys.sorted()
        var servers: [String: LoopbackServer] = [:]
        for slug in slugs {
            servers[slug] = try ScrapeParseTests.serve(TestTree.packageRoot.appendingPathComponent(folders[slug]!.stringValue!))
        }
        let defaults = try JSONValue.parse(Data(contentsOf: TestTree.packageRoot.appendingPathComponent("pipeline.json")))
        var fetch = defaults["fetch"]!.objectValue!
        fetch["allow_hosts"] = .array(slugs.map { .string("127.0.0.1:\(servers[$0]!.port)") })
        let tree = try TestTree(pipeline: ["fetch": .object(fetch), "stages": .array(Array(defaults["stages"]!.arrayValue!.prefix(4)))])
        for slug in slugs {
            var request = TestTree.sampleRequest(client: slug)
            request["website_url"] = .string(servers[slug]!.baseURL + "/")
            request["request_id"] = .string(slug)
            try tree.request("\(slug).json", request)
        }
        #expect(try tree.onboard(["run", "--jobs", "2"]).status == 0)

        var cells: [Double] = []
        var table = "site                 industries  titles  locations  services\n"
        var quotes = 0
        for slug in slugs {
            let icp = try JSONDecoder().decode(ICPDocument.self, from: Data(contentsOf: tree.url("outbox/\(slug)/icp/icp.json")))
            let site = try JSONDecoder().decode(SiteRecord.self, from: Data(contentsOf: tree.url("outbox/\(slug)/parse/site.json")))
            let check = EvidenceCheck(site: site)
            var row: [Double] = []
            for (label, key) in Self.fields {
                let items: [ICPItem]
                switch key {
                case "icp_industries": items = icp.icpIndustries
                case "icp_titles": items = icp.icpTitles
                case "icp_locations": items = icp.icpLocations
                default: items = icp.servicesOffered
                }
                for item in items {
                    quotes += 1
                    #expect(item.evidence.allSatisfy(check.holds), "\(slug) \(key) \(item.value)")
                }
                let need = (labels[slug]?[label]?["need"]?.arrayValue ?? []).map { $0.arrayValue!.compactMap(\.stringValue) }
                let ok = (labels[slug]?[label]?["ok"]?.arrayValue ?? []).map { $0.arrayValue!.compactMap(\.stringValue) }
                row.append(Self.cell(items.map { $0.value.lowercased() }, need: need, ok: ok))
            }
            cells += row
            table += slug.padding(toLength: 20, withPad: " ", startingAt: 0) + row.map { String(format: "%10.2f", $0) }.joined() + "\n"
        }
        let macro = cells.reduce(0, +) / Double(cells.count)
        print(table + String(format: "macro F1 %.3f over %d cells, %d items with checked quotes", macro, cells.count, quotes))
        #expect(macro >= Self.macroFloor, "macro F1 \(macro)\n\(table)")
    }
}
