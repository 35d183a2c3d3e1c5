import Foundation
import HomewardModel
import HomewardRuntime
import IntakeAPI

/// How one office fills R4V's 5W template: who appeals and who implements, which R4V
/// subsector, indicator and activity each of Homeward's sectors is reported under, which
/// population-type column its beneficiaries are counted in, and the admin levels of the
/// cities people return to.
///
/// Why data and not code: these are the office's reporting agreements with its R4V
/// platform (names of organisations, the plan's indicator list, the admin areas R4V
/// knows), and they change per office and per plan year. The shipped file is the Canadian
/// GTA pilot office's; an office replaces it with `intake.report.fivew.file`.
///
/// Decoding refuses unknown keys and validates everything the report relies on (every
/// sector mapped, the population type one of the template's columns, no empty name), so
/// a mistake stops the service at start-up instead of writing a wrong report. The file
/// holds no personal data, so errors may quote its values.
struct FiveWConfiguration: ConfigurationDocument, Codable, Sendable, Equatable {
    /// "Appealing organisation Name": the organisation that appealed in the plan.
    let appealingOrganisation: String
    /// "Implementation Set up": directly or through an implementing partner.
    let implementationSetUp: ImplementationSetUp
    /// "Implementing partner Name"; required through a partner, and left out when the
    /// appealing organisation implements directly (the column then repeats its name).
    let implementingPartner: String?
    /// The population-type column the office's beneficiaries are counted in.
    let populationType: PopulationType
    /// The R4V subsector, indicator and activity of each of Homeward's sectors, by the
    /// sector's name ("Health", "Humanitarian Transportation", "Integration"); every sector
    /// is mapped.
    let activities: [String: ActivityMapping]
    /// Admin levels by ISO 3166-1 alpha-2 country of return ("CO").
    let countries: [String: CountryMapping]
    /// Free text for people editing the file (sources, placeholders); never read.
    let notes: String?

    enum ImplementationSetUp: String, Codable, Sendable, ClosedSet {
        case direct
        case throughPartner = "through-partner"

        /// The text the template's column carries.
        var templateText: String {
            switch self {
            case .direct: "Direct"
            case .throughPartner: "Through implementing partner"
            }
        }
    }

    /// The template's population-type columns, by their header.
    enum PopulationType: String, Codable, Sendable, ClosedSet {
        case inDestination = "Refugees and Migrants IN DESTINATION"
        case inTransit = "Refugees and Migrants IN TRANSIT"
        case hostCommunities = "Host Communities Beneficiaries"
        case pendulars = "Refugees and Migrants PENDULARS"
        case returnees = "Colombian Returnees"
    }

    /// Where one of Homeward's sectors goes in the template.
    struct ActivityMapping: Codable, Sendable, Hashable {
        /// "Subsector", as the plan names it ("Health").
        let subsector: String
        /// "Indicator", as the plan's indicator list words it.
        let indicator: String
        /// "Activity Name".
        let activityName: String
        /// "Activity Description"; optional.
        let activityDescription: String?
        /// "RMRP Activity": whether the activity is part of the office's RMRP appeal.
        let rmrpActivity: Bool

        init(subsector: String, indicator: String, activityName: String, activityDescription: String? = nil, rmrpActivity: Bool = true) {
            self.subsector = subsector
            self.indicator = indicator
            self.activityName = activityName
            self.activityDescription = activityDescription
            self.rmrpActivity = rmrpActivity
        }

        private enum CodingKeys: String, CodingKey, CaseIterable { case subsector, indicator, activityName, activityDescription, rmrpActivity }

        init(from decoder: any Decoder) throws {
            try ConfigurationFile.refuseUnknownKeys(decoder, allowed: CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(subsector: try container.decode(String.self, forKey: .subsector),
                      indicator: try container.decode(String.self, forKey: .indicator),
                      activityName: try container.decode(String.self, forKey: .activityName),
                      activityDescription: try container.decodeIfPresent(String.self, forKey: .activityDescription),
                      rmrpActivity: try container.decode(Bool.self, forKey: .rmrpActivity))
        }
    }

    /// A country of return: its name in the template and the admin levels of its cities.
    struct CountryMapping: Codable, Sendable, Equatable {
        /// "Country", as R4V names it ("Colombia").
        let name: String
        /// Admin levels by city of return, as caseworkers record the city ("Cali"); matched
        /// ignoring case, accents and surrounding spaces.
        let cities: [String: AdminLevels]

        init(name: String, cities: [String: AdminLevels]) {
            self.name = name
            self.cities = cities
        }

        private enum CodingKeys: String, CodingKey, CaseIterable { case name, cities }

        init(from decoder: any Decoder) throws {
            try ConfigurationFile.refuseUnknownKeys(decoder, allowed: CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(name: try container.decode(String.self, forKey: .name), cities: try container.decode([String: AdminLevels].self, forKey: .cities))
        }

        /// The admin levels of `city`, if the office mapped it.
        func admin(of city: String?) -> AdminLevels? {
            guard let city else { return nil }
            let key = Self.matchKey(city)
            return cities.first { Self.matchKey($0.key) == key }?.value
        }

        static func matchKey(_ city: String) -> String {
            city.trimmingCharacters(in: .whitespacesAndNewlines).folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        }
    }

    /// "Admin1" and, where known, "Admin2", as R4V's admin list names them.
    struct AdminLevels: Codable, Sendable, Hashable {
        let admin1: String
        let admin2: String?

        init(admin1: String, admin2: String? = nil) {
            self.admin1 = admin1
            self.admin2 = admin2
        }

        private enum CodingKeys: String, CodingKey, CaseIterable { case admin1, admin2 }

        init(from decoder: any Decoder) throws {
            try ConfigurationFile.refuseUnknownKeys(decoder, allowed: CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(admin1: try container.decode(String.self, forKey: .admin1), admin2: try container.decodeIfPresent(String.self, forKey: .admin2))
        }
    }

    typealias Invalid = ConfigurationFile.Invalid<FiveWConfiguration>

    /// Builds and validates a configuration; throws ``Invalid`` naming the field at fault.
    init(appealingOrganisation: String, implementationSetUp: ImplementationSetUp, implementingPartner: String? = nil,
         populationType: PopulationType, activities: [String: ActivityMapping], countries: [String: CountryMapping], notes: String? = nil) throws {
        self.appealingOrganisation = appealingOrganisation
        self.implementationSetUp = implementationSetUp
        self.implementingPartner = implementingPartner
        self.populationType = populationType
        self.activities = activities
        self.countries = countries
        self.notes = notes
        try validate()
    }

    /// The mapping of `sector` (validation guarantees there is one).
    func activity(_ sector: Sector) -> ActivityMapping {
        activities[sector.rawValue]!
    }

    /// "Implementing partner Name": the partner, or the appealing organisation itself.
    var implementingPartnerName: String {
        implementingPartner ?? appealingOrganisation
    }

    // MARK: Codable

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case appealingOrganisation, implementationSetUp, implementingPartner, populationType, activities, countries, notes
    }

    init(from decoder: any Decoder) throws {
        try ConfigurationFile.refuseUnknownKeys(decoder, allowed: CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            appealingOrganisation: container.decode(String.self, forKey: .appealingOrganisation),
            implementationSetUp: container.decode(ImplementationSetUp.self, forKey: .implementationSetUp),
            implementingPartner: container.decodeIfPresent(String.self, forKey: .implementingPartner),
            populationType: container.decode(PopulationType.self, forKey: .populationType),
            activities: container.decode([String: ActivityMapping].self, forKey: .activities),
            countries: container.decode([String: CountryMapping].self, forKey: .countries),
            notes: container.decodeIfPresent(String.self, forKey: .notes))
    }

    // MARK: Validation

    private func validate() throws {
        func named(_ text: String, _ field: String) throws {
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw Invalid(field: field, problem: "must not be empty") }
        }
        try named(appealingOrganisation, "appealingOrganisation")
        switch (implementationSetUp, implementingPartner) {
        case (.throughPartner, nil):
            throw Invalid(field: "implementingPartner", problem: "is required when implementationSetUp is through-partner")
        case (.direct, .some):
            throw Invalid(field: "implementingPartner", problem: "must be left out when implementationSetUp is direct (the column repeats appealingOrganisation)")
        case (.throughPartner, .some(let partner)):
            try named(partner, "implementingPartner")
        case (.direct, nil):
            break
        }
        for key in activities.keys.sorted() where Sector(rawValue: key) == nil {
            throw Invalid(field: "activities.\(key)", problem: "is not one of Homeward's sectors (\(Sector.allowedDescription))")
        }
        for sector in Sector.allCases {
            guard let mapping = activities[sector.rawValue] else {
                throw Invalid(field: "activities", problem: "\"\(sector.rawValue)\" is not mapped: every sector is reported under a subsector, indicator and activity")
            }
            try named(mapping.subsector, "activities.\(sector.rawValue).subsector")
            try named(mapping.indicator, "activities.\(sector.rawValue).indicator")
            try named(mapping.activityName, "activities.\(sector.rawValue).activityName")
        }
        for (code, country) in countries.sorted(by: { $0.key < $1.key }) {
            guard code.count == 2, code.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) }) else {
                throw Invalid(field: "countries.\(code)", problem: "must be an ISO 3166-1 alpha-2 code in capitals (\"CO\")")
            }
            try named(country.name, "countries.\(code).name")
            var seen: [String: String] = [:]
            for (city, levels) in country.cities.sorted(by: { $0.key < $1.key }) {
                try named(city, "countries.\(code).cities")
                try named(levels.admin1, "countries.\(code).cities.\(city).admin1")
                if let admin2 = levels.admin2 { try named(admin2, "countries.\(code).cities.\(city).admin2") }
                if let other = seen[CountryMapping.matchKey(city)] {
                    throw Invalid(field: "countries.\(code).cities.\(city)", problem: "is the same city as \"\(other)\" (cities match ignoring case and accents)")
                }
                seen[CountryMapping.matchKey(city)] = city
            }
        }
    }
}

extension FiveWConfiguration {
    static var documentName: String { "5W configuration" }
}
