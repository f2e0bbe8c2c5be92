import Foundation
import OnboardEngine

/// Checks a client's request and puts it in one normal form: two requests that mean the same
/// thing normalise to the same bytes, and so to the same job.
struct RequestNormaliser {
    static let allowedKeys: [String] = [
        "company_name", "website_url", "tier", "client_id", "contact_email", "linkedin_seats", "request_id",
    ]
    static let idPattern = "^[a-z0-9][a-z0-9_-]{0,63}$"

    let tiers: Set<String>

    /// The normalised request, or the first problem found (named by its field).
    func normalise(_ data: Data) -> Result<[String: JSONValue], RequestRejection> {
        let parsed: JSONValue
        do { parsed = try JSONValue.parse(data) } catch {
            return .failure(RequestRejection(field: nil, message: "file is not valid JSON"))
        }
        guard let members = parsed.objectValue else {
            return .failure(RequestRejection(field: nil, message: "file is not a JSON object (it is \(parsed.typeName))"))
        }
        if let unknown = members.keys.sorted().first(where: { !Self.allowedKeys.contains($0) }) {
            return .failure(reject(unknown, "unknown field (allowed: \(Self.allowedKeys.joined(separator: ", ")))"))
        }
        do {
            let company = try companyName(members["company_name"])
            let url = try websiteURL(members["website_url"])
            let tier = try tierName(members["tier"])
            let client = try identifier(members["client_id"], field: "client_id") ?? Self.slug(ofHostIn: url)
            guard client.range(of: Self.idPattern, options: .regularExpression) != nil else {
                throw reject("website_url", "no client_id given and the host gives no usable one; add a client_id")
            }
            let email = try contactEmail(members["contact_email"])
            let seats = try linkedinSeats(members["linkedin_seats"])
            let requestID = try identifier(members["request_id"], field: "request_id")
            return .success([
                "company_name": .string(company), "website_url": .string(url), "tier": .string(tier),
                "client_id": .string(client), "contact_email": email.map(JSONValue.string) ?? .null,
                "linkedin_seats": seats.map { .int($0) } ?? .null, "request_id": requestID.map(JSONValue.string) ?? .null,
            ])
        } catch let rejection as RequestRejection {
            return .failure(rejection)
        } catch {
            return .failure(RequestRejection(field: nil, message: "\(error)"))
        }
    }

    func admit(_ data: Data) -> Result<AdmittedRequest, RequestRejection> {
        normalise(data).map { request in
            let sha = Digest.sha256(CanonicalJSON.compact(.object(request)))
            let client = request["client_id"]!.stringValue!
            let explicit = request["request_id"]?.stringValue
            return AdmittedRequest(
                jobID: explicit ?? "\(client)-\(sha.prefix(10))", explicitID: explicit != nil, normalizedSHA256: sha,
                recordFields: ["client_id": .string(client), "website_url": request["website_url"]!])
        }
    }

    private func reject(_ field: String, _ problem: String) -> RequestRejection {
        RequestRejection(field: field, message: "\(field): \(problem)")
    }

    private func companyName(_ value: JSONValue?) throws -> String {
        guard let value, !value.isNull else { throw reject("company_name", "is required") }
        guard let text = value.stringValue else { throw reject("company_name", "must be a string, not \(value.typeName)") }
        let collapsed = text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        guard !collapsed.isEmpty else { throw reject("company_name", "must not be empty") }
        guard collapsed.count <= 200 else { throw reject("company_name", "is \(collapsed.count) characters; at most 200") }
        guard !collapsed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw reject("company_name", "contains control characters")
        }
        return collapsed
    }

    private func websiteURL(_ value: JSONValue?) throws -> String {
        guard let value, !value.isNull else { throw reject("website_url", "is required") }
        guard let raw = value.stringValue else { throw reject("website_url", "must be a string, not \(value.typeName)") }
        let text = raw.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { throw reject("website_url", "must not be empty") }
        guard text.utf8.count <= 2_048 else { throw reject("website_url", "is \(text.utf8.count) characters; at most 2048") }
        guard !text.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7f }) else {
            throw reject("website_url", "contains spaces or control characters")
        }
        guard let colon = text.firstIndex(of: ":") else {
            throw reject("website_url", "must start with http:// or https://")
        }
        let scheme = text[..<colon].lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw reject("website_url", "scheme \(scheme) is not http or https")
        }
        guard var components = URLComponents(string: text) else { throw reject("website_url", "is not a valid URL") }
        guard components.user == nil, components.password == nil else {
            throw reject("website_url", "must not carry a user name or password")
        }
        guard let host = components.host, !host.isEmpty, text.dropFirst(scheme.count).hasPrefix("://") else {
            throw reject("website_url", "has no host")
        }
        components.scheme = scheme
        components.host = host.lowercased()
        if (scheme == "http" && components.port == 80) || (scheme == "https" && components.port == 443) {
            components.port = nil
        }
        if components.path.isEmpty { components.path = "/" }
        components.fragment = nil
        guard let normalised = components.string else { throw reject("website_url", "is not a valid URL") }
        return normalised
    }

    private func tierName(_ value: JSONValue?) throws -> String {
        guard let value, !value.isNull else { throw reject("tier", "is required") }
        guard let text = value.stringValue else { throw reject("tier", "must be a string, not \(value.typeName)") }
        let name = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard tiers.contains(name) else {
            throw reject("tier", "\"\(text)\" is not a tier of pipeline.json (tiers: \(tiers.sorted().joined(separator: ", ")))")
        }
        return name
    }

    private func identifier(_ value: JSONValue?, field: String) throws -> String? {
        guard let value, !value.isNull else { return nil }
        guard let text = value.stringValue else { throw reject(field, "must be a string, not \(value.typeName)") }
        guard text.range(of: Self.idPattern, options: .regularExpression) != nil else {
            throw reject(field, "\"\(text)\" must match [a-z0-9][a-z0-9_-]{0,63} (lowercase letters, digits, - and _)")
        }
        return text
    }

    private func contactEmail(_ value: JSONValue?) throws -> String? {
        guard let value, !value.isNull else { return nil }
        guard let text = value.stringValue else { throw reject("contact_email", "must be a string, not \(value.typeName)") }
        let email = text.trimmingCharacters(in: .whitespaces)
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard email.utf8.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
            !email.unicodeScalars.contains(where: { $0.value <= 0x20 })
        else { throw reject("contact_email", "\"\(text)\" is not an email address") }
        return "\(parts[0])@\(parts[1].lowercased())"
    }

    private func linkedinSeats(_ value: JSONValue?) throws -> Int64? {
        guard let value, !value.isNull else { return nil }
        guard case .int(let seats) = value else {
            throw reject("linkedin_seats", "must be a whole number from 0 to 1000, not \(value.typeName == "a number" ? "a fraction" : value.typeName)")
        }
        guard (0...1_000).contains(seats) else { throw reject("linkedin_seats", "must be from 0 to 1000, not \(seats)") }
        return seats
    }

    /// `https://www.Harbor-Dental.example/` → `harbor-dental-example`.
    static func slug(ofHostIn url: String) -> String {
        var host = URLComponents(string: url)?.host?.lowercased() ?? ""
        if host.hasPrefix("www.") { host.removeFirst(4) }
        var slug = ""
        for character in host.unicodeScalars {
            if ("a"..."z").contains(character) || ("0"..."9").contains(character) {
                slug.unicodeScalars.append(character)
            } else if !slug.hasSuffix("-"), !slug.isEmpty {
                slug.append("-")
            }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        return String(slug.prefix(64)).trimmingCharacters(in: CharacterSet(charactersIn: "-"))
    }
}
