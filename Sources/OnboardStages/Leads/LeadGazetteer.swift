import Foundation
import OnboardEngine

/// The gazetteer (taxonomies/places.json, as Taxonomy reads it) arranged for placing leads:
/// which country, state and city a lead's `City`, `State` and `Country` name, and what each named
/// area (leads/areas.json) holds. Every name is compared folded (LeadKeys.fold), aliases and ISO
/// codes included ("NSW", "USA").
struct LeadGazetteer: Sendable {
    struct AreaMembers: Sendable {
        var everywhere = false
        var countries: Set<String> = []
        var regions: Set<String> = []
        var cities: [(key: String, country: String)] = []
    }

    /// A place an ICP location names.
    enum Place: Sendable {
        case country(code: String)
        case region(code: String)
        case city(key: String, country: String?)
        case area(name: String)
    }

    /// Folded country name, alias or code → ISO code.
    private(set) var countryCodes: [String: String] = [:]
    /// Country code → folded state name, alias or code suffix → region code.
    private(set) var regionCodes: [String: [String: String]] = [:]
    /// Folded state names found in one country only → region code (for leads without a country).
    private(set) var uniqueRegionCodes: [String: String] = [:]
    private(set) var areas: [String: AreaMembers] = [:]
    /// Folded name or alias of any place → the places it can mean ("Hamilton": two cities).
    private(set) var places: [String: [Place]] = [:]
    /// Only the file this reads itself: places.json is the taxonomy's, hashed with it.
    let dataSHA256: [String: String]

    static let shared = LeadGazetteer(taxonomy: .shared)

    init(taxonomy: Taxonomy) {
        let areasData = BundledData.data("leads/areas.json")
        dataSHA256 = ["leads/areas.json": Digest.sha256(areasData)]
        guard let areaDocument = try? JSONValue.parse(areasData) else {
            fatalError("the bundled leads/areas.json is not valid JSON; reinstall onboard")
        }
        func names(_ entry: Taxonomy.Place) -> [String] { [entry.name] + entry.aliases }
        func note(_ key: String, _ place: Place) {
            guard !key.isEmpty else { return }
            places[key, default: []].append(place)
        }
        let gazetteer = taxonomy.places
        for entry in gazetteer where entry.level == .country {
            guard let code = entry.code else { continue }
            for name in names(entry) {
                let key = LeadKeys.fold(name)
                if countryCodes[key] == nil { countryCodes[key] = code }
                note(key, .country(code: code))
            }
            countryCodes[code.lowercased()] = countryCodes[code.lowercased()] ?? code
        }
        // Apollo and people write these besides the ISO names.
        for (alias, code) in ["us": "US", "u s a": "US", "uk": "GB", "england": "GB", "scotland": "GB", "wales": "GB"]
        where countryCodes[alias] == nil {
            countryCodes[alias] = code
        }
        var regionCountries: [String: Set<String>] = [:]
        var regionByKey: [String: String] = [:]
        for entry in gazetteer where entry.level == .region {
            guard let code = entry.code, let country = entry.country else { continue }
            let suffix = code.split(separator: "-").last.map { String($0).lowercased() } ?? ""
            for key in names(entry).map(LeadKeys.fold) + [suffix] where !key.isEmpty {
                if regionCodes[country, default: [:]][key] == nil { regionCodes[country, default: [:]][key] = code }
                regionCountries[key, default: []].insert(country)
                regionByKey[key] = regionByKey[key] ?? code
            }
            for name in names(entry) { note(LeadKeys.fold(name), .region(code: code)) }
        }
        for (key, countries) in regionCountries where countries.count == 1 { uniqueRegionCodes[key] = regionByKey[key] }
        for entry in gazetteer where entry.level == .city {
            let country = entry.country
            let cityKey = LeadKeys.fold(entry.name)
            for alias in names(entry) { note(LeadKeys.fold(alias), .city(key: cityKey, country: country)) }
        }
        for entry in gazetteer where entry.level == .area {
            for alias in names(entry) { note(LeadKeys.fold(alias), .area(name: entry.name)) }
        }
        for (name, members) in areaDocument["areas"]?.objectValue ?? [:] {
            var area = AreaMembers()
            area.everywhere = members["everywhere"]?.boolValue ?? false
            area.countries = Set((members["countries"]?.arrayValue ?? []).compactMap(\.stringValue))
            area.regions = Set((members["regions"]?.arrayValue ?? []).compactMap(\.stringValue))
            area.cities = (members["cities"]?.arrayValue ?? []).compactMap { pair in
                guard let city = pair[0]?.stringValue, let country = pair[1]?.stringValue else { return nil }
                return (LeadKeys.fold(city), country)
            }
            areas[name] = area
        }
    }

    /// The country and state a lead's folded `Country` and `State` name, when the gazetteer knows them.
    func resolve(state: String, country: String) -> (country: String?, region: String?) {
        let countryCode = country.isEmpty ? nil : countryCodes[country]
        guard !state.isEmpty else { return (countryCode, nil) }
        if let countryCode { return (countryCode, regionCodes[countryCode]?[state]) }
        if country.isEmpty, let region = uniqueRegionCodes[state] {
            return (region.split(separator: "-").first.map(String.init), region)
        }
        return (nil, nil)
    }
}

extension JSONValue {
    fileprivate subscript(index: Int) -> JSONValue? {
        guard let array = arrayValue, array.indices.contains(index) else { return nil }
        return array[index]
    }
}
