import Foundation
import OnboardEngine

/// Checks the onboarding sections of pipeline.json (settings, tiers, fetch, providers), naming
/// each problem by its JSON path.
enum PipelineSettingsCheck {
    static let settingsKeys: Set<String> = [
        "sdk_brain_enabled", "auto_apply", "auto_activate_campaigns", "icp_timeout_seconds",
        "post_onboarding_timeout_seconds", "enrichment_cost_cap_usd", "buffer_alert_threshold", "live_payments_only",
        "exclusive_leads", "als_weights", "politeness_delay_ms", "watch_poll_seconds",
    ]
    static let weightKeys: Set<String> = ["industry", "title", "size", "location", "email_status", "completeness"]
    static let tierKeys: Set<String> = ["email_domains", "phones", "linkedin_seats", "leads_per_month", "campaign_slots"]
    static let fetchKeys: Set<String> = [
        "user_agent", "max_pages", "max_bytes", "timeout_seconds", "max_redirects", "allow_hosts", "browser_command",
        "antibot_command",
    ]
    static let providerKeys: Set<String> = ["icp", "leads", "anthropic", "openai", "apollo", "prices"]

    static func check(_ document: JSONValue, into checker: inout ConfigChecker) {
        checkSettings(document["settings"], &checker)
        checkTiers(document["tiers"], &checker)
        checkFetch(document["fetch"], &checker)
        checkProviders(document["providers"], &checker)
    }

    private static func checkSettings(_ value: JSONValue?, _ checker: inout ConfigChecker) {
        let path = "$.settings"
        guard let settings = checker.expectObject(value, at: path, allowed: settingsKeys, required: settingsKeys) else { return }
        for key in ["sdk_brain_enabled", "auto_apply", "auto_activate_campaigns", "live_payments_only", "exclusive_leads"] {
            if let flag = settings[key] { checker.expectBool(flag, at: "\(path).\(key)") }
        }
        if let value = settings["icp_timeout_seconds"] { checker.expectInt(value, at: "\(path).icp_timeout_seconds", in: 1...86_400) }
        if let value = settings["post_onboarding_timeout_seconds"] {
            checker.expectInt(value, at: "\(path).post_onboarding_timeout_seconds", in: 1...86_400)
        }
        if let value = settings["enrichment_cost_cap_usd"] {
            checker.expectNumber(value, at: "\(path).enrichment_cost_cap_usd", in: 0...1_000)
        }
        if let value = settings["buffer_alert_threshold"] { checker.expectNumber(value, at: "\(path).buffer_alert_threshold", in: 0...1) }
        if let value = settings["politeness_delay_ms"] { checker.expectInt(value, at: "\(path).politeness_delay_ms", in: 0...60_000) }
        if let value = settings["watch_poll_seconds"] { checker.expectNumber(value, at: "\(path).watch_poll_seconds", in: 0.05...3_600) }
        if let value = settings["als_weights"],
            let weights = checker.expectObject(value, at: "\(path).als_weights", allowed: weightKeys, required: weightKeys)
        {
            var total = 0.0
            for key in weightKeys.sorted() {
                if let weight = weights[key], let number = checker.expectNumber(weight, at: "\(path).als_weights.\(key)", in: 0...100) {
                    total += number
                }
            }
            if total <= 0 { checker.report("\(path).als_weights", "the weights must not all be 0") }
        }
    }

    private static func checkTiers(_ value: JSONValue?, _ checker: inout ConfigChecker) {
        guard let value else { checker.report("$.tiers", "is missing"); return }
        guard let tiers = value.objectValue else {
            checker.report("$.tiers", "must be an object of tiers, not \(value.typeName)")
            return
        }
        if tiers.isEmpty { checker.report("$.tiers", "must define at least one tier") }
        for name in tiers.keys.sorted() {
            let path = ConfigChecker.child("$.tiers", name)
            if name.range(of: "^[a-z][a-z0-9_-]{0,39}$", options: .regularExpression) == nil {
                checker.report(path, "\"\(name)\" is not a tier name (lowercase letters, digits, - and _)")
            }
            guard let tier = checker.expectObject(tiers[name], at: path, allowed: tierKeys, required: tierKeys) else { continue }
            for key in ["email_domains", "phones", "linkedin_seats"] {
                if let count = tier[key] { checker.expectInt(count, at: "\(path).\(key)", in: 0...1_000) }
            }
            if let leads = tier["leads_per_month"] { checker.expectInt(leads, at: "\(path).leads_per_month", in: 0...10_000_000) }
            if let slots = tier["campaign_slots"] { checker.expectInt(slots, at: "\(path).campaign_slots", in: 3...5) }
        }
    }

    private static func checkFetch(_ value: JSONValue?, _ checker: inout ConfigChecker) {
        let path = "$.fetch"
        guard let fetch = checker.expectObject(value, at: path, allowed: fetchKeys, required: fetchKeys) else { return }
        if let agent = fetch["user_agent"] { checker.expectString(agent, at: "\(path).user_agent") }
        if let pages = fetch["max_pages"] { checker.expectInt(pages, at: "\(path).max_pages", in: 1...200) }
        if let bytes = fetch["max_bytes"] { checker.expectInt(bytes, at: "\(path).max_bytes", in: 1_024...1_073_741_824) }
        if let seconds = fetch["timeout_seconds"] { checker.expectInt(seconds, at: "\(path).timeout_seconds", in: 1...600) }
        if let redirects = fetch["max_redirects"] { checker.expectInt(redirects, at: "\(path).max_redirects", in: 0...20) }
        if let hosts = fetch["allow_hosts"], let list = checker.expectStringArray(hosts, at: "\(path).allow_hosts") {
            for (index, entry) in list.enumerated() where !isHostPort(entry) {
                checker.report("\(path).allow_hosts[\(index)]", "\"\(entry)\" is not host:port (for example 127.0.0.1:8081 or [::1]:8081)")
            }
        }
        for key in ["browser_command", "antibot_command"] {
            guard let command = fetch[key], !command.isNull else { continue }
            if command.stringValue != nil {
                checker.report("\(path).\(key)", "must be an argument array with a {url} placeholder (it is run without a shell), not a string")
            } else if let arguments = checker.expectStringArray(command, at: "\(path).\(key)") {
                if arguments.isEmpty || arguments[0].isEmpty {
                    checker.report("\(path).\(key)", "must name a program as its first element")
                } else if !arguments.contains(where: { $0.contains("{url}") }) {
                    checker.report("\(path).\(key)", "must contain the {url} placeholder")
                }
            }
        }
    }

    private static func checkProviders(_ value: JSONValue?, _ checker: inout ConfigChecker) {
        let path = "$.providers"
        guard let providers = checker.expectObject(value, at: path, allowed: providerKeys, required: providerKeys) else { return }
        if let icp = providers["icp"] { checker.expectString(icp, at: "\(path).icp", oneOf: ["rules", "anthropic", "openai"]) }
        if let leads = providers["leads"] { checker.expectString(leads, at: "\(path).leads", oneOf: ["local", "apollo"]) }
        let modelKeys = ["base_url", "model", "max_tokens", "timeout_seconds"]
        for (name, keys, required) in [
            ("anthropic", modelKeys, ["base_url", "model"]), ("openai", modelKeys + ["structured_output"], ["base_url", "model"]),
            ("apollo", ["base_url"], ["base_url"]),
        ] {
            let entryPath = "\(path).\(name)"
            guard let entry = checker.expectObject(providers[name], at: entryPath, allowed: Set(keys), required: Set(required)) else { continue }
            ProviderSettingsCheck.checkModelOptions(entry, at: entryPath, &checker)
            if let base = entry["base_url"], let text = checker.expectString(base, at: "\(entryPath).base_url") {
                let scheme = URLComponents(string: text)?.scheme?.lowercased()
                if (scheme != "http" && scheme != "https") || URLComponents(string: text)?.host?.isEmpty != false {
                    checker.report("\(entryPath).base_url", "must be an http or https URL with a host, not \"\(text)\"")
                }
            }
            if let model = entry["model"] { checker.expectString(model, at: "\(entryPath).model") }
        }
        if let prices = providers["prices"] {
            guard let models = prices.objectValue else {
                checker.report("\(path).prices", "must be an object of models, not \(prices.typeName)")
                return
            }
            let priceKeys: Set<String> = ["input_per_mtok", "output_per_mtok"]
            for model in models.keys.sorted() {
                let modelPath = ConfigChecker.child("\(path).prices", model)
                guard let price = checker.expectObject(models[model], at: modelPath, allowed: priceKeys, required: priceKeys) else { continue }
                for key in priceKeys.sorted() {
                    if let number = price[key] { checker.expectNumber(number, at: "\(modelPath).\(key)", in: 0...10_000) }
                }
            }
        }
    }

    static func isHostPort(_ text: String) -> Bool {
        let host: Substring
        let port: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { return false }
            host = text[text.index(after: text.startIndex)..<close]
            port = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { return false }
            host = text[..<colon]
            port = text[text.index(after: colon)...]
            if host.contains(":") { return false }
        }
        guard !host.isEmpty, host.allSatisfy({ $0.isLetter || $0.isNumber || "-.:_".contains($0) }) else { return false }
        guard let number = Int(port), (1...65_535).contains(number) else { return false }
        return true
    }
}
