import Foundation
import OnboardEngine
import Testing

@testable import OnboardStages

@Suite("campaign segments, shares and sequence variables")
struct CampaignDraftingTests {
    static let dental = ConfirmedICP(
        industries: ["Dentists"], titles: ["Practice Owner", "Practice Manager"],
        services: ["Patient recall campaigns", "Local SEO for dental practices", "Google Ads"],
        painPoints: ["Empty chairs on weekdays", "Too few new patients"], locations: ["Australia"],
        valueProposition: "More booked appointments without more front-desk work.")

    static let broad = ConfirmedICP(
        industries: ["Dentists", "Medical Practice", "Law Practice", "Accounting", "Construction", "Real Estate", "Computer Software"],
        titles: ["Owner", "Marketing Manager"], services: ["Lead generation"], painPoints: ["Not enough leads"])

    @Test func sharesAddUpToExactlyOneHundredAndFollowTheCounts() {
        for weights in [[3, 1], [1, 1, 1], [7, 0, 0, 2], [1_000_000, 1, 1, 1, 1], [5, 5, 5, 5, 5], [0, 0, 0], [1, 2, 3, 4]] {
            let split = AllocationSplit.largestRemainder(total: 100, weights: weights)
            #expect(split.reduce(0, +) == 100, "\(weights) → \(split)")
            for i in weights.indices { for j in weights.indices where weights[i] > weights[j] { #expect(split[i] >= split[j]) } }
        }
        #expect(AllocationSplit.largestRemainder(total: 100, weights: [3, 1]) == [75, 25])
        #expect(AllocationSplit.largestRemainder(total: 100, weights: [1, 1, 1]) == [34, 33, 33], "ties go to the earlier campaign")
        #expect(AllocationSplit.largestRemainder(total: 100, weights: [0, 0, 0]) == [34, 33, 33], "no leads: an even split")
        #expect(AllocationSplit.largestRemainder(total: 100, weights: [7, 0, 0, 2]) == [78, 0, 0, 22])
        #expect(AllocationSplit.largestRemainder(total: 7, weights: [50, 50]) == [4, 3])
    }

    @Test(arguments: [3, 4, 5])
    func exactlyAsManyDistinctSegmentsAsSlots(slots: Int) {
        for icp in [Self.dental, Self.broad] {
            let segments = Segmenter.segments(icp, slots: slots)
            #expect(segments.count == slots)
            let keys = Set(segments.map { "\($0.industries)|\($0.titles)|\($0.service)|\($0.painPoint)|\($0.approach)" })
            #expect(keys.count == slots, "segments differ")
            #expect(Set(segments.flatMap(\.industries)) == Set(icp.industries), "every industry of the ICP is covered")
        }
    }

    @Test func fewIndustriesAreSplitByTitlesThenServices() {
        let segments = Segmenter.segments(Self.dental, slots: 4)
        #expect(segments.allSatisfy { $0.industries == ["Dentists"] })
        #expect(Set(segments.map(\.titles)).count > 1, "titles split")
        #expect(Set(segments.map(\.service)).count > 1, "services differ")
        let drafts = try? CampaignDrafter(client: "Harbor Dental Growth", icp: Self.dental, proofLines: ["Trusted by 120 practices."])
            .draft(segments, clientID: "harbor")
        #expect(Set(drafts?.map(\.name) ?? []).count == 4, "names differ")
    }

    @Test func manyIndustriesShareTheLastSegmentByGroup() {
        let segments = Segmenter.segments(Self.broad, slots: 3)
        #expect(segments[0].industries == ["Dentists", "Medical Practice"], "the Healthcare group")
        #expect(segments[1].industries == ["Law Practice", "Accounting"], "the Services group")
        #expect(segments[2].industries == ["Construction", "Real Estate", "Computer Software"])
    }

    @Test func unknownVariablesAreRefusedNamingThePlace() throws {
        let variables = PersonalisationVariables.shared
        try variables.check("Hi {{first_name}} at {{ company }}", place: "x")
        let error = #expect(throws: PersonalisationVariables.Unknown.self) {
            try variables.check("Hi {{firstname}}, {{first_name}} {{ceo_name}}", place: "campaign c1 step 2 body")
        }
        #expect(error?.names == ["firstname", "ceo_name"])
        #expect(error?.description.contains("campaign c1 step 2 body") == true)
        #expect(error?.description.contains("{{first_name}}") == true, "the message lists the known names")

        var template = try JSONValue.parse(BundledData.data(SequenceTemplate.file)).objectValue!
        var steps = template["steps"]!.arrayValue!
        var step = steps[1].objectValue!
        step["body"] = "Hi {{nickname}}"
        steps[1] = .object(step)
        template["steps"] = .array(steps)
        #expect(throws: SequenceTemplate.Problem.self) { try SequenceTemplate.parse(CanonicalJSON.data(.object(template))) }
    }

    @Test func textFromTheICPCannotBecomeAVariable() throws {
        var icp = Self.dental
        icp.services = ["Recall {{unsubscribe_link}} campaigns"]
        icp.painPoints = ["[[client]] {{evil}} gaps"]
        let drafts = try CampaignDrafter(client: "{{sender}} Co", icp: icp, proofLines: []).draft(Segmenter.segments(icp, slots: 3), clientID: "c")
        for draft in drafts {
            for step in draft.steps {
                #expect(PersonalisationVariables.used(in: step.subject + step.body).allSatisfy(PersonalisationVariables.shared.names.contains))
                #expect(!step.body.contains("[["))
            }
        }
    }

    @Test func everySequenceHasFiveStepsFromTheICP() throws {
        let drafts = try CampaignDrafter(client: "Harbor Dental Growth", icp: Self.dental, proofLines: ["Trusted by 120 practices."])
            .draft(Segmenter.segments(Self.dental, slots: 3), clientID: "harbor")
        for draft in drafts {
            #expect(draft.steps.count == 5)
            #expect(draft.steps.map(\.step) == [1, 2, 3, 4, 5])
            #expect(draft.steps[0].delayDays == 0)
            #expect(draft.steps.allSatisfy { SequenceStep.channels.contains($0.channel) })
            #expect(draft.steps.allSatisfy { $0.channel != "email" || !$0.body.isEmpty })
            let text = draft.steps.map(\.body).joined(separator: "\n")
            #expect(text.contains("Harbor Dental Growth"))
            #expect(text.contains("Trusted by 120 practices."), "proof point")
            #expect(text.contains("more booked appointments") || text.contains("More booked appointments"), "value proposition")
            #expect(text.contains(DraftText.inline(draft.segment["service"]!.stringValue!)), "the segment's service")
            #expect(text.contains(DraftText.inline(draft.segment["pain_point"]!.stringValue!)), "the segment's pain point")
        }
    }

    @Test func csvFieldsRoundTripWithCommasQuotesAndLineBreaks() throws {
        let values = ["plain", "a, b", "say \"hi\"", "two\nlines", "", "crlf\r\nend"]
        let text = "\u{FEFF}" + CSVLine.line(["x", "y", "z", "w", "v", "u"]) + CSVLine.line(values) + "last,row\r\n"
        let sheet = try LeadSheet(data: Data(text.utf8), path: "t.csv")
        #expect(sheet.header == ["x", "y", "z", "w", "v", "u"])
        #expect(sheet.rows.count == 2)
        #expect(sheet.rows[0].fields == values)
        #expect(sheet.rows[1].line == 5, "line numbers count the breaks inside quoted fields")
        #expect(sheet.value(sheet.rows[1], "Y") == "row", "names match case-insensitively")
        #expect(throws: LeadSheet.Problem.self) { try LeadSheet(data: Data("a,b\n\"open,1\n".utf8), path: "t.csv") }
    }

    @Test func leadsGoWhereTheyFitWithinTheShares() {
        let fitDental = SegmentFit(industries: ["Dentists"], titles: ["Practice Owner"])
        let fitLaw = SegmentFit(industries: ["Law Practice"], titles: ["Managing Partner"])
        #expect(fitDental.score(industry: "dentists", title: "Owner & Practice Owner").points == 5)
        #expect(fitDental.score(industry: "Medical Practice", title: "CFO").points == 1, "same industry group only")
        #expect(fitLaw.score(industry: "Dentists", title: "Nurse").points == 0)
        func lead(_ id: String, _ industry: String) -> LeadPlacement.Lead {
            LeadPlacement.Lead(id: id, score: 50, fits: [fitDental, fitLaw].map { $0.score(industry: industry, title: "") })
        }
        let leads = (0..<6).map { lead("d\($0)", "Dentists") } + (0..<4).map { lead("l\($0)", "Law Practice") }
        let placed = LeadPlacement.place(leads, shares: [60, 40])
        #expect(placed.count == 10)
        #expect(leads.filter { $0.id.hasPrefix("d") }.allSatisfy { placed[$0.id]?.campaign == 0 })
        #expect(leads.filter { $0.id.hasPrefix("l") }.allSatisfy { placed[$0.id]?.campaign == 1 })
        let skewed = LeadPlacement.place(leads, shares: [90, 10])
        #expect(skewed.values.filter { $0.campaign == 0 }.count == 9, "counts follow the shares exactly")
        #expect(skewed.filter { $0.value.campaign == 1 }.map(\.key) == ["l0"], "the one legal place goes to a legal lead")
        #expect(skewed["l1"]?.reasons.last == "the campaigns it fits were full; placed by allocation")
        let unfit = LeadPlacement.place((0..<10).map { lead("x\($0)", "Mining & Metals") }, shares: [70, 30])
        #expect(unfit.values.filter { $0.campaign == 0 }.count == 7, "leads that fit nowhere follow the shares")
    }
}
