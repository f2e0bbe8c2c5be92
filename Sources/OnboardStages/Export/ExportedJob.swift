import Foundation
import OnboardEngine

/// What an export is built from: a job's campaigns with their sequences, and its assigned leads
/// joined with the lead details of `leads/leads.csv`.
struct ExportedJob {
    struct Lead {
        let id: String
        let email: String
        let score: String
        let reasons: String
        /// leads.csv value by variable name (`first_name`, `company`, ...), per variables.json.
        let values: [String: String]
        let linkedin: String
        let state: String
    }

    struct Campaign {
        let id: String
        let name: String
        let status: String
        let allocationPct: Int
        let steps: [SequenceStep]
        var leads: [Lead]
    }

    let campaigns: [Campaign]

    static func load(_ folder: JobFolder) throws -> ExportedJob {
        let job = folder.id
        guard FileManager.default.fileExists(atPath: folder.stamp("assign").path) else {
            throw CampaignExport.Refusal(
                description: "job \(job) has not reached assign yet (no assign/stamp.json); `onboard status \(job)` says what it waits for")
        }
        func read(_ relative: String) throws -> Data {
            do { return try Data(contentsOf: folder.file(relative)) } catch {
                throw CampaignExport.Refusal(description: "\(folder.file(relative).path): cannot be read; rerun the stage that writes it")
            }
        }
        let document: JSONValue
        do { document = try JSONValue.parse(read("campaigns/campaigns.json")) } catch let refusal as CampaignExport.Refusal { throw refusal } catch {
            throw CampaignExport.Refusal(description: "campaigns/campaigns.json of job \(job): not valid JSON")
        }
        let assignments: LeadSheet
        let details: LeadSheet
        do {
            assignments = try LeadSheet(data: read("assign/assignments.csv"), path: "assign/assignments.csv")
            details = try LeadSheet(data: read("leads/leads.csv"), path: "leads/leads.csv")
        } catch let problem as LeadSheet.Problem {
            throw CampaignExport.Refusal(description: "job \(job): \(problem.description)")
        }
        var detailRows: [String: LeadSheet.Row] = [:]
        for row in details.rows {
            let id = details.value(row, "lead_id")
            if !id.isEmpty, detailRows[id] == nil { detailRows[id] = row }
        }
        var campaigns: [Campaign] = []
        for (index, entry) in (document["campaigns"]?.arrayValue ?? []).enumerated() {
            guard let id = entry["id"]?.stringValue else {
                throw CampaignExport.Refusal(description: "campaigns/campaigns.json of job \(job): campaigns[\(index)] has no id")
            }
            let steps = (entry["sequence"]?.arrayValue ?? []).enumerated().map { offset, step in
                SequenceStep(
                    step: Int(step["step"]?.intValue ?? Int64(offset + 1)), channel: step["channel"]?.stringValue ?? "email",
                    delayDays: Int(step["delay_days"]?.intValue ?? 0), subject: step["subject"]?.stringValue ?? "",
                    body: step["body"]?.stringValue ?? "")
            }
            campaigns.append(Campaign(
                id: id, name: entry["name"]?.stringValue ?? id, status: entry["status"]?.stringValue ?? "draft",
                allocationPct: Int(entry["allocation_pct"]?.intValue ?? 0), steps: steps, leads: []))
        }
        let positions = Dictionary(campaigns.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: { first, _ in first })
        for row in assignments.rows {
            let campaignID = assignments.value(row, "campaign_id")
            guard let position = positions[campaignID] else {
                throw CampaignExport.Refusal(
                    description: "assign/assignments.csv of job \(job): line \(row.line): campaign_id \"\(campaignID)\" is not in campaigns/campaigns.json")
            }
            let id = assignments.value(row, "lead_id")
            let detail = detailRows[id]
            var values: [String: String] = [:]
            for variable in PersonalisationVariables.shared.variables {
                values[variable.name] = detail.map { details.value($0, variable.leadColumn) } ?? ""
            }
            if values["company"]?.isEmpty != false, let detail { values["company"] = details.value(detail, "Company Name") }
            campaigns[position].leads.append(Lead(
                id: id, email: assignments.value(row, "email"), score: assignments.value(row, "score"),
                reasons: assignments.value(row, "reasons"), values: values,
                linkedin: detail.map { details.value($0, "Person Linkedin Url") } ?? "", state: detail.map { details.value($0, "State") } ?? ""))
        }
        return ExportedJob(campaigns: campaigns)
    }
}
