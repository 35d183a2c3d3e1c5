import Foundation
import HomewardModel
import IntakeAPI

/// The R4V "5W" report in the RMRP 5W template: who (the appealing organisation and its
/// implementing partner), what (subsector, indicator, activity), where (country of return
/// and its admin levels), when (month, UTC), for whom (the office's population type, by
/// sex and age under or above 18). The office's ``FiveWConfiguration`` says how Homeward's
/// sectors and cities map onto the template.
///
/// It counts persons, not services. "Total monthly beneficiaries" is the persons served in
/// the row's month (a person helped twice in a month counts once), so it is never summed
/// across months. "New beneficiaries of the month" is the persons served for the first
/// time in the row's subsector and indicator (over every activity Homeward recorded, so a
/// person first served before the period is not new in it): summed over months, it counts
/// each person once. As in R4V's template, the population-type and age/sex columns break
/// down the new beneficiaries. The JSON `totals` keep the persons per month and subsector
/// and over the whole period (`consolidated`), each person once.
struct FiveWReport: Codable, Sendable, Equatable {
    var appealingOrganisation: String
    var implementationSetUp: String
    var implementingPartner: String
    /// The population-type column the beneficiaries are counted in.
    var populationType: String
    var from: String
    var to: String
    /// One row per month, country, admin1, admin2, subsector, indicator and activity.
    var rows: [Row]
    /// Persons per period and subsector, and per period across subsectors (`subsector` nil).
    var totals: [Total]

    struct Row: Codable, Sendable, Equatable {
        var month: String
        /// ISO 3166-1 alpha-2 code of the country of return.
        var returnCountry: String
        /// The country as the template names it (the code when the office did not name it).
        var country: String
        /// Nil when the office did not map the city of return (the report then fails its checks).
        var admin1: String?
        var admin2: String?
        var subsector: String
        var indicator: String
        var activityName: String
        var activityDescription: String?
        var rmrpActivity: Bool
        var totalMonthlyBeneficiaries: Int
        var newBeneficiaries: Int
        var populationTypes: PopulationTypes
        var ageSex: AgeSex

        /// Months in order, then place, then what.
        var order: [String] { [month, country, admin1 ?? "", admin2 ?? "", subsector, indicator, activityName] }
    }

    /// The new beneficiaries by the template's population-type columns.
    struct PopulationTypes: Codable, Sendable, Equatable {
        var inDestination = 0
        var inTransit = 0
        var hostCommunities = 0
        var pendulars = 0
        var returnees = 0

        var columns: [Int] { [inDestination, inTransit, hostCommunities, pendulars, returnees] }

        mutating func count(in type: FiveWConfiguration.PopulationType) {
            switch type {
            case .inDestination: inDestination += 1
            case .inTransit: inTransit += 1
            case .hostCommunities: hostCommunities += 1
            case .pendulars: pendulars += 1
            case .returnees: returnees += 1
            }
        }
    }

    /// The new beneficiaries by the template's sex and age columns: under 18, or 18 and
    /// above, by the age at the activity that made them new.
    struct AgeSex: Codable, Sendable, Equatable {
        var womenUnder18 = 0
        var menUnder18 = 0
        var womenAbove18 = 0
        var menAbove18 = 0
        var otherUnder18 = 0
        var otherAbove18 = 0

        var columns: [Int] { [womenUnder18, menUnder18, womenAbove18, menAbove18, otherUnder18, otherAbove18] }
        var under18: Int { womenUnder18 + menUnder18 + otherUnder18 }

        /// A person with no age recorded (an activity after an erasure) fits no column.
        mutating func count(_ sex: Sex, age: Int?) {
            guard let age else { return }
            switch (sex, age < 18) {
            case (.female, true): womenUnder18 += 1
            case (.male, true): menUnder18 += 1
            case (.other, true): otherUnder18 += 1
            case (.female, false): womenAbove18 += 1
            case (.male, false): menAbove18 += 1
            case (.other, false): otherAbove18 += 1
            }
        }
    }

    struct Total: Codable, Sendable, Equatable {
        var period: String
        var subsector: String?
        var persons: Int
    }

    /// One service to one person, as intake recorded it from the events, with the person's
    /// age on the activity's day (UTC): recorded then, so it outlives an erasure, as do the
    /// sex and the country and city of return.
    struct Activity: Codable, Sendable {
        var personID: String
        var sector: Sector
        var at: Date
        var sex: Sex
        var ageYears: Int?
        var returnCountry: String
        var returnCity: String?
    }

    static let consolidated = "consolidated"

    /// Builds the report for the months `from` through `to` (`YYYY-MM`, inclusive) from
    /// every activity recorded (those before `from` decide who is new).
    static func build(_ activities: [Activity], from: String, to: String, configuration: FiveWConfiguration) -> FiveWReport {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        func month(_ date: Date) -> String {
            let c = calendar.dateComponents([.year, .month], from: date)
            return String(format: "%04d-%02d", c.year!, c.month!)
        }
        let ordered = activities.sorted { ($0.at, $0.personID, $0.sector.rawValue) < ($1.at, $1.personID, $1.sector.rawValue) }

        struct RowKey: Hashable {
            var month: String
            var returnCountry: String
            var admin: FiveWConfiguration.AdminLevels?
            var activity: FiveWConfiguration.ActivityMapping
        }
        func rowKey(_ a: Activity) -> RowKey {
            RowKey(month: month(a.at), returnCountry: a.returnCountry,
                   admin: configuration.countries[a.returnCountry]?.admin(of: a.returnCity), activity: configuration.activity(a.sector))
        }
        // Who is served in each row's month, and who for the first time in its subsector
        // and indicator (with the sex and age at that first activity).
        struct Indicator: Hashable { var person: String; var subsector: String; var indicator: String }
        var firstServed: Set<Indicator> = []
        var served: [RowKey: Set<String>] = [:]
        var new: [RowKey: (persons: Int, populationTypes: PopulationTypes, ageSex: AgeSex)] = [:]
        for a in ordered {
            let key = rowKey(a)
            let isNew = firstServed.insert(Indicator(person: a.personID, subsector: key.activity.subsector, indicator: key.activity.indicator)).inserted
            guard (from...to).contains(key.month) else { continue }
            served[key, default: []].insert(a.personID)
            if isNew {
                var counts = new[key] ?? (0, PopulationTypes(), AgeSex())
                counts.persons += 1
                counts.populationTypes.count(in: configuration.populationType)
                counts.ageSex.count(a.sex, age: a.ageYears)
                new[key] = counts
            }
        }
        let rows = served.map { key, persons in
            let counts = new[key] ?? (0, PopulationTypes(), AgeSex())
            return Row(month: key.month, returnCountry: key.returnCountry, country: configuration.countries[key.returnCountry]?.name ?? key.returnCountry,
                       admin1: key.admin?.admin1, admin2: key.admin?.admin2, subsector: key.activity.subsector, indicator: key.activity.indicator,
                       activityName: key.activity.activityName, activityDescription: key.activity.activityDescription,
                       rmrpActivity: key.activity.rmrpActivity, totalMonthlyBeneficiaries: persons.count, newBeneficiaries: counts.persons,
                       populationTypes: counts.populationTypes, ageSex: counts.ageSex)
        }.sorted { $0.order.lexicographicallyPrecedes($1.order) }

        // Persons per period (a month, and the whole range) and subsector, each once.
        var periods: [String: [String: Set<String>]] = [:]  // period -> subsector -> persons
        for a in ordered {
            let m = month(a.at)
            guard (from...to).contains(m) else { continue }
            for period in [m, consolidated] {
                periods[period, default: [:]][configuration.activity(a.sector).subsector, default: []].insert(a.personID)
            }
        }
        var totals: [Total] = []
        for period in periods.keys.sorted(by: { ($0 == consolidated ? "9" : $0) < ($1 == consolidated ? "9" : $1) }) {
            let subsectors = periods[period]!
            for (subsector, persons) in subsectors.sorted(by: { $0.key < $1.key }) {
                totals.append(Total(period: period, subsector: subsector, persons: persons.count))
            }
            totals.append(Total(period: period, subsector: nil, persons: subsectors.values.reduce(into: Set<String>()) { $0.formUnion($1) }.count))
        }
        return FiveWReport(appealingOrganisation: configuration.appealingOrganisation,
                           implementationSetUp: configuration.implementationSetUp.templateText,
                           implementingPartner: configuration.implementingPartnerName, populationType: configuration.populationType.rawValue,
                           from: from, to: to, rows: rows, totals: totals)
    }

    // MARK: The template

    /// The RMRP 5W template's columns, in its order.
    static let templateColumns = [
        "Country", "Admin1", "Admin2", "Appealing organisation Name", "Implementation Set up", "Implementing partner Name", "Month",
        "Subsector", "Indicator", "Activity Name", "Activity Description", "RMRP Activity", "CVA", "Value (in USD)", "Delivery mechanism",
        "Quantity of output", "Total monthly beneficiaries", "New beneficiaries of the month",
    ] + FiveWConfiguration.PopulationType.allCases.map(\.rawValue) + [
        "Women under 18", "Men under 18", "Women above 18", "Men above 18", "Other under 18", "Other above 18",
    ]

    /// The template as CSV: its header, then one line per row. Homeward records no cash
    /// or vouchers, so `CVA` is `No` and its value and delivery mechanism are empty, as is
    /// the quantity of output (the beneficiary columns carry the figures).
    var csv: String {
        func field(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        var lines = [Self.templateColumns.map(field).joined(separator: ",")]
        for r in rows {
            let text = [r.country, r.admin1 ?? "", r.admin2 ?? "", appealingOrganisation, implementationSetUp, implementingPartner, r.month,
                        r.subsector, r.indicator, r.activityName, r.activityDescription ?? "", r.rmrpActivity ? "Yes" : "No", "No", "", "", ""]
            let figures = [r.totalMonthlyBeneficiaries, r.newBeneficiaries] + r.populationTypes.columns + r.ageSex.columns
            lines.append((text.map(field) + figures.map(String.init)).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
