import Foundation
import OnboardEngine

/// Each tool's own shape of campaigns, steps and leads (domain reference §4).
enum ToolShapes {
    /// Our variable names → each tool's. Names a tool lacks become its custom fields, referenced
    /// by the same name.
    static let instantlyNames = ["first_name": "firstName", "last_name": "lastName", "company": "companyName", "website": "website"]
    static let smartleadNames = ["first_name": "first_name", "last_name": "last_name", "company": "company_name", "website": "website"]
    static let apolloNames = ["first_name": "first_name", "last_name": "last_name", "company": "company", "title": "title", "city": "city", "country": "country"]

    /// Smartlead takes at most 400 leads a call, Instantly 1,000.
    static let smartleadBatch = 400
    static let instantlyBatch = 1000

    static func rename(_ text: String, _ names: [String: String]) -> String {
        var result = text
        for variable in PersonalisationVariables.shared.names {
            result = result.replacingOccurrences(of: "{{\(variable)}}", with: "{{\(names[variable] ?? variable)}}")
        }
        return result
    }

    /// Plain text as the HTML body an email editor expects: paragraphs and line breaks kept.
    static func html(_ text: String) -> String {
        let escaped = text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
        return escaped.components(separatedBy: "\n\n").map { "<p>" + $0.replacingOccurrences(of: "\n", with: "<br>") + "</p>" }
            .joined()
    }

    /// Day of each step counted from the first (delays add up).
    static func days(_ steps: [SequenceStep]) -> [Int] {
        var day = 0
        return steps.enumerated().map { index, step in
            if index > 0 { day += step.delayDays }
            return day
        }
    }

    /// Email steps only, each with the days since the previous email step (0 for the first).
    static func emailSteps(_ steps: [SequenceStep]) -> [(step: SequenceStep, day: Int, sincePrevious: Int)] {
        let allDays = days(steps)
        var result: [(SequenceStep, Int, Int)] = []
        var previous: Int?
        for (index, step) in steps.enumerated() where step.channel == "email" {
            result.append((step, allDays[index], previous.map { allDays[index] - $0 } ?? 0))
            previous = allDays[index]
        }
        return result
    }

    static func omitted(_ job: ExportedJob) -> JSONValue {
        .array(job.campaigns.flatMap { campaign in
            campaign.steps.filter { $0.channel != "email" }.map { step -> JSONValue in
                ["campaign": .string(campaign.id), "step": .int(Int64(step.step)), "channel": .string(step.channel),
                 "reason": "this tool's campaigns send email only"]
            }
        })
    }

    static func batches(_ leads: [JSONValue], size: Int) -> [JSONValue] {
        stride(from: 0, to: leads.count, by: size).map { .array(Array(leads[$0..<min($0 + size, leads.count)])) }
    }

    static func custom(_ lead: ExportedJob.Lead, except names: [String: String]) -> JSONValue {
        var fields: [String: JSONValue] = [:]
        for (name, value) in lead.values where names[name] == nil && !value.isEmpty { fields[name] = .string(value) }
        return .object(fields)
    }

    // MARK: csv

    static func csv(_ job: ExportedJob) -> String {
        let width = job.campaigns.map(\.steps.count).max() ?? 0
        var header = ["campaign_id", "campaign_name", "campaign_status", "lead_id", "email"]
        header += PersonalisationVariables.shared.names
        header += ["score", "reasons"]
        for step in 0..<width {
            header += ["channel", "day", "delay_days", "subject", "body"].map { "step_\(step + 1)_\($0)" }
        }
        var text = CSVLine.line(header)
        for campaign in job.campaigns {
            let stepDays = days(campaign.steps)
            var stepFields: [String] = []
            for index in 0..<width {
                guard index < campaign.steps.count else { stepFields += ["", "", "", "", ""]; continue }
                let step = campaign.steps[index]
                stepFields += [step.channel, String(stepDays[index]), String(step.delayDays), step.subject, step.body]
            }
            for lead in campaign.leads {
                var row = [campaign.id, campaign.name, campaign.status, lead.id, lead.email]
                row += PersonalisationVariables.shared.names.map { lead.values[$0] ?? "" }
                row += [lead.score, lead.reasons]
                text += CSVLine.line(row + stepFields)
            }
        }
        return text
    }

    // MARK: Instantly v2 (POST /api/v2/campaigns, POST /api/v2/leads/add)

    static func instantly(_ job: ExportedJob) -> JSONValue {
        let campaigns: [JSONValue] = job.campaigns.map { campaign in
            let emails = emailSteps(campaign.steps)
            // Instantly counts a step's delay as the wait before the next step.
            let steps: [JSONValue] = emails.enumerated().map { index, entry in
                let next = index + 1 < emails.count ? emails[index + 1].day - entry.day : 0
                return [
                    "type": "email", "delay": .int(Int64(next)), "delay_unit": "days",
                    "variants": [["subject": .string(rename(entry.step.subject, instantlyNames)), "body": .string(html(rename(entry.step.body, instantlyNames)))]],
                ]
            }
            let leads: [JSONValue] = campaign.leads.map { lead in
                [
                    "email": .string(lead.email), "first_name": .string(lead.values["first_name"] ?? ""),
                    "last_name": .string(lead.values["last_name"] ?? ""), "company_name": .string(lead.values["company"] ?? ""),
                    "website": .string(lead.values["website"] ?? ""), "custom_variables": custom(lead, except: instantlyNames),
                ]
            }
            return [
                "source_id": .string(campaign.id), "name": .string(campaign.name),
                "status": .int(campaign.status == "active" ? 1 : 0), "sequences": [["steps": .array(steps)]],
                "lead_batches": .array(batches(leads, size: instantlyBatch).map { ["leads": $0, "skip_if_in_workspace": true] }),
            ]
        }
        return ["format": "instantly", "campaigns": .array(campaigns), "omitted_steps": omitted(job)]
    }

    // MARK: Smartlead (POST /campaigns/{id}/sequences, POST /campaigns/{id}/leads)

    static func smartlead(_ job: ExportedJob) -> JSONValue {
        let campaigns: [JSONValue] = job.campaigns.map { campaign in
            let sequences: [JSONValue] = emailSteps(campaign.steps).enumerated().map { index, entry in
                [
                    "seq_number": .int(Int64(index + 1)), "seq_delay_details": ["delay_in_days": .int(Int64(entry.sincePrevious))],
                    "subject": .string(rename(entry.step.subject, smartleadNames)),
                    "email_body": .string(html(rename(entry.step.body, smartleadNames))),
                ]
            }
            let leads: [JSONValue] = campaign.leads.map { lead in
                let location = [lead.values["city"], lead.state, lead.values["country"]].compactMap { $0 }.filter { !$0.isEmpty }
                return [
                    "email": .string(lead.email), "first_name": .string(lead.values["first_name"] ?? ""),
                    "last_name": .string(lead.values["last_name"] ?? ""), "company_name": .string(lead.values["company"] ?? ""),
                    "website": .string(lead.values["website"] ?? ""), "location": .string(location.joined(separator: ", ")),
                    "linkedin_profile": .string(lead.linkedin), "custom_fields": custom(lead, except: smartleadNames),
                ]
            }
            return [
                "source_id": .string(campaign.id), "name": .string(campaign.name),
                "status": .string(campaign.status == "active" ? "ACTIVE" : "DRAFTED"), "sequences": .array(sequences),
                "lead_batches": .array(batches(leads, size: smartleadBatch).map {
                    ["lead_list": $0, "settings": ["ignore_duplicate_leads_in_other_campaign": false]]
                }),
            ]
        }
        return ["format": "smartlead", "campaigns": .array(campaigns), "omitted_steps": omitted(job)]
    }

    // MARK: Apollo sequences (POST /emailer_campaigns, contacts added with add_contact_ids)

    static func apollo(_ job: ExportedJob) -> JSONValue {
        let sequences: [JSONValue] = job.campaigns.map { campaign in
            var sawEmail = false
            var sawLinkedIn = false
            let steps: [JSONValue] = campaign.steps.enumerated().map { index, step in
                let subject = rename(step.subject, apolloNames)
                let body = rename(step.body, apolloNames)
                var entry: [String: JSONValue] = [
                    "position": .int(Int64(index + 1)), "wait_time": .int(Int64(index == 0 ? 0 : step.delayDays)), "wait_mode": "day",
                ]
                if step.channel == "email" {
                    entry["type"] = "auto_email"
                    entry["emailer_touches"] = [[
                        "type": .string(sawEmail && subject.isEmpty ? "reply_to_thread" : "new_thread"), "status": "to_be_reviewed",
                        "emailer_template": ["subject": .string(subject), "body_html": .string(html(body))],
                    ]]
                    sawEmail = true
                } else {
                    entry["type"] = .string(sawLinkedIn ? "linkedin_step_message" : "linkedin_step_connect")
                    entry["note"] = .string(body)
                    sawLinkedIn = true
                }
                return .object(entry)
            }
            let contacts: [JSONValue] = campaign.leads.map { lead in
                [
                    "email": .string(lead.email), "first_name": .string(lead.values["first_name"] ?? ""),
                    "last_name": .string(lead.values["last_name"] ?? ""), "organization_name": .string(lead.values["company"] ?? ""),
                    "title": .string(lead.values["title"] ?? ""), "website_url": .string(lead.values["website"] ?? ""),
                    "linkedin_url": .string(lead.linkedin), "present_raw_address": .string(
                        [lead.values["city"], lead.state, lead.values["country"]].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")),
                ]
            }
            return [
                "source_id": .string(campaign.id), "name": .string(campaign.name), "active": .bool(campaign.status == "active"),
                "emailer_steps": .array(steps), "contacts": .array(contacts),
                "add_contact_ids": ["sequence_active_in_other_campaigns": false, "sequence_same_company_in_same_campaign": false],
            ]
        }
        return ["format": "apollo", "sequences": .array(sequences)]
    }
}
