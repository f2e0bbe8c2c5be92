import Foundation
import OnboardEngine

/// Which leads fit a client's ICP (DESIGN.md: "A lead fits the ICP when..."): its `Industry` maps to
/// one of the ICP's industries through the industry taxonomy, and its place (city in state in
/// country) lies in one of the ICP's locations through the gazetteer. A check is skipped when that
/// ICP field is empty. The ICP's titles and company sizes do not decide fit; they weigh in the score.
public struct LeadFit: Sendable {
    struct IndustryRule: Sendable {
        /// The ICP's value, as the reviewer confirmed it.
        let value: String
        /// Taxonomy industries it means; empty when the taxonomy does not know it.
        let industries: Set<String>
        /// The value folded, matched against a lead's industry when the taxonomy does not know it.
        let key: String
    }

    struct LocationRule: Sendable {
        let value: String
        let places: [LeadGazetteer.Place]
        let key: String
    }

    struct TitleRule: Sendable {
        let value: String
        let key: String
        let titles: Set<String>
        let seniorities: Set<String>
        let functions: Set<String>
    }

    let industryRules: [IndustryRule]
    let locationRules: [LocationRule]
    let titleRules: [TitleRule]
    /// Company-size ranges as lead databases write them ("11-50").
    public let sizes: [String]

    /// The ICP's industries, locations and titles as it names them.
    public var industries: [String] { industryRules.map(\.value) }
    public var locations: [String] { locationRules.map(\.value) }
    public var titles: [String] { titleRules.map(\.value) }

    /// The fit of a confirmed ICP (`confirm/icp.json`, read by ConfirmedICP).
    init(_ icp: ConfirmedICP) {
        self.init(industries: icp.industries, locations: icp.locations, titles: icp.titles, sizes: icp.companySizes)
    }

    public init(industries: [String], locations: [String], titles: [String] = [], sizes: [String] = []) {
        let catalogue = LeadIndustries.shared
        let gazetteer = LeadGazetteer.shared
        industryRules = Self.unique(industries).map { value in
            IndustryRule(value: value, industries: Set(catalogue.industries(forICPValue: value)), key: LeadKeys.fold(value))
        }
        locationRules = Self.unique(locations).map { value in
            let key = LeadKeys.fold(value)
            return LocationRule(value: value, places: gazetteer.places[key] ?? [], key: key)
        }
        titleRules = Self.unique(titles).map { value in
            let matched = LeadTitles.titles(in: value)
            return TitleRule(
                value: value, key: LeadKeys.fold(value), titles: Set(matched.map(\.title)),
                seniorities: Set(matched.map(\.seniority)), functions: Set(matched.map(\.function)))
        }
        self.sizes = Self.unique(sizes)
        segmentTitles = nil
    }

    /// The ICP titles a segment speaks to (folded), when the fit is a segment's; nil for the whole ICP.
    let segmentTitles: Set<String>?

    /// The same fit limited to some of its industries and, given `titles`, to the leads whose title
    /// stands for one of those (a campaign's segment). Values that are not among this fit's are
    /// ignored; no industry left means nothing fits. Title matching still weighs every ICP title,
    /// so a lead counts for the segment whose title it stands for best, never for two.
    public func narrowed(toIndustries chosen: [String], titles: [String]? = nil) -> LeadFit {
        let wanted = Set(chosen.map(LeadKeys.fold))
        let kept = industryRules.filter { wanted.contains($0.key) }
        return LeadFit(
            industryRules: kept.isEmpty ? [Self.nothing] : kept, locationRules: locationRules, titleRules: titleRules, sizes: sizes,
            segmentTitles: titles.map { Set($0.map(LeadKeys.fold)) })
    }

    private init(
        industryRules: [IndustryRule], locationRules: [LocationRule], titleRules: [TitleRule], sizes: [String], segmentTitles: Set<String>?
    ) {
        self.industryRules = industryRules
        self.locationRules = locationRules
        self.titleRules = titleRules
        self.sizes = sizes
        self.segmentTitles = segmentTitles
    }

    /// A rule no industry meets.
    private static let nothing = IndustryRule(value: "", industries: [], key: "\u{0}")

    // MARK: checks

    /// The ICP industry a lead's folded industry falls in, "" when the ICP names none, nil when it does not fit.
    func industry(ofKey key: String) -> String? {
        if industryRules.isEmpty { return "" }
        let mapped = LeadIndustries.shared.industry(forKey: key)
        for rule in industryRules {
            if let mapped, rule.industries.contains(mapped) { return mapped }
            if rule.industries.isEmpty, !key.isEmpty, rule.key == key { return rule.value }
        }
        return nil
    }

    /// The ICP location a place lies in, "" when the ICP names none, nil when it lies in none.
    func location(of place: LeadPlace) -> String? {
        if locationRules.isEmpty { return "" }
        for rule in locationRules {
            if rule.places.isEmpty {
                if !rule.key.isEmpty, [place.city, place.state, place.country].contains(rule.key) { return rule.value }
                continue
            }
            if rule.places.contains(where: { Self.lies(place, in: $0) }) { return rule.value }
        }
        return nil
    }

    /// How a lead's title meets the ICP's titles, as the score reads it.
    struct TitleMatch: Sendable {
        /// 1 for one of the ICP's titles, less for the right function or seniority only, 0 for neither.
        let credit: Double
        /// Why, as `score_reasons` says it.
        let detail: String
        /// The ICP title the lead stands for (credit 0.6 or more), nil when none comes close.
        let title: String?

        /// The lead's title group in breakdowns: the ICP title, or "other".
        var group: String { title ?? "other" }
    }

    /// Full credit for one of the ICP's titles (the same words, or a taxonomy title in common); less
    /// for the right function or seniority only. The best ICP title wins, the earlier one on ties.
    func titleMatch(title: String, seniority leadSeniority: String) -> TitleMatch {
        let key = LeadKeys.fold(title)
        let matched = LeadTitles.titles(in: title)
        let titles = Set(matched.map(\.title))
        let seniority = leadSeniority.isEmpty ? (matched.first?.seniority ?? "") : leadSeniority
        let functions = Set(matched.map(\.function))
        var best = TitleMatch(credit: 0, detail: title.isEmpty ? "no title" : "\(title): not an ICP title", title: nil)
        for rule in titleRules {
            var credit = 0.0
            if !key.isEmpty, key == rule.key || !rule.titles.isDisjoint(with: titles) {
                credit = 1
            } else {
                let sameFunction = !rule.functions.isDisjoint(with: functions)
                let sameSeniority = rule.seniorities.contains(seniority)
                let nearSeniority = rule.seniorities.contains { abs((LeadTitles.rank[$0] ?? -9) - (LeadTitles.rank[seniority] ?? -99)) <= 1 }
                credit = sameFunction && sameSeniority ? 0.8 : sameFunction && nearSeniority ? 0.6 : sameSeniority ? 0.5 : sameFunction ? 0.4 : nearSeniority ? 0.25 : 0
            }
            if credit > best.credit {
                let how = credit == 1 ? "matches" : credit >= 0.6 ? "near" : "like"
                best = TitleMatch(credit: credit, detail: "\(title) \(how) \(rule.value)", title: credit >= 0.6 ? rule.value : nil)
            }
        }
        return best
    }

    /// Whether a lead of this title and seniority belongs to the fit: always for the whole ICP
    /// (titles weigh in the score, they do not decide fit); for a segment, when the ICP title the
    /// lead stands for is one of the segment's.
    func takes(title: String, seniority: String) -> Bool {
        guard let segmentTitles, !titleRules.isEmpty else { return true }
        return titleMatch(title: title, seniority: seniority).title.map { segmentTitles.contains(LeadKeys.fold($0)) } ?? false
    }

    static func lies(_ place: LeadPlace, in target: LeadGazetteer.Place) -> Bool {
        switch target {
        case .country(let code): return place.countryCode == code
        case .region(let code): return place.regionCode == code
        case .city(let key, let country):
            return place.city == key && (place.countryCode == nil || country == nil || place.countryCode == country)
        case .area(let name):
            guard let area = LeadGazetteer.shared.areas[name] else { return false }
            if area.everywhere { return true }
            if let country = place.countryCode, area.countries.contains(country) { return true }
            if let region = place.regionCode, area.regions.contains(region) { return true }
            return area.cities.contains { $0.key == place.city && (place.countryCode == nil || place.countryCode == $0.country) }
        }
    }

    private static func unique(_ values: [String]) -> [String] {
        var seen: Set<String> = []
        return values.filter { seen.insert(LeadKeys.fold($0)).inserted }
    }
}

/// Where a lead is, folded (LeadKeys.fold), with the country and state the gazetteer finds in it.
struct LeadPlace: Sendable, Hashable {
    let city: String
    let state: String
    let country: String
    let countryCode: String?
    let regionCode: String?

    init(city: String, state: String, country: String) {
        self.city = city
        self.state = state
        self.country = country
        (countryCode, regionCode) = LeadGazetteer.shared.resolve(state: state, country: country)
    }
}
