import Foundation
import HomewardModel
import IntakeAPI

/// The R4V "5W" report: who (the organisation), what (sector), where (country of return),
/// when (month, UTC), for whom (returnees, by sex and age group).
///
/// It counts persons, not services: a person helped twice in a month counts once in that
/// month, and the consolidated figure counts each person once over the whole period. It
/// is never a sum of the months.
struct FiveWReport: Codable, Sendable, Equatable {
    var organisation: String
    var populationType: String
    var from: String
    var to: String
    /// One row per period (a month, or `consolidated`), sector, country, sex and age group.
    var rows: [Row]
    /// Persons per period and sector, and per period across sectors (`sector` nil).
    var totals: [Total]

    struct Row: Codable, Sendable, Equatable {
        var period: String
        var sector: String
        var returnCountry: String
        var sex: String
        var ageGroup: String
        var persons: Int
    }

    struct Total: Codable, Sendable, Equatable {
        var period: String
        var sector: String?
        var persons: Int
    }

    /// One service to one person, as intake recorded it from the events, with the person's
    /// age on the activity's day (UTC): recorded then, so it outlives an erasure.
    struct Activity: Codable, Sendable {
        var personID: String
        var sector: Sector
        var at: Date
        var sex: Sex
        var ageYears: Int?
        var returnCountry: String
    }

    static let consolidated = "consolidated"

    /// Age groups of the R4V disaggregation; the age is the person's at the activity
    /// (`unknown` only for an activity recorded after the person's data was erased).
    static func ageGroup(_ age: Int?) -> String {
        guard let age else { return "unknown" }
        return switch age {
        case ..<5: "0-4"
        case 5..<12: "5-11"
        case 12..<18: "12-17"
        case 18..<60: "18-59"
        default: "60+"
        }
    }

    /// Builds the report for the months `from` through `to` (`YYYY-MM`, inclusive).
    static func build(_ activities: [Activity], from: String, to: String, organisation: String) -> FiveWReport {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        func month(_ date: Date) -> String {
            let c = calendar.dateComponents([.year, .month], from: date)
            return String(format: "%04d-%02d", c.year!, c.month!)
        }
        let inRange = activities.filter { (from...to).contains(month($0.at)) }.sorted { $0.at < $1.at }

        // The first activity of each person per (period, sector) decides their age group.
        struct Key: Hashable { var period: String; var sector: Sector; var person: String }
        var firsts: [Key: Activity] = [:]
        for a in inRange {
            for period in [month(a.at), consolidated] where firsts[Key(period: period, sector: a.sector, person: a.personID)] == nil {
                firsts[Key(period: period, sector: a.sector, person: a.personID)] = a
            }
        }
        struct Cell: Hashable { var period: String; var sector: String; var country: String; var sex: String; var age: String }
        var cells: [Cell: Int] = [:]
        for (key, a) in firsts {
            let age = ageGroup(a.ageYears)
            cells[Cell(period: key.period, sector: key.sector.rawValue, country: a.returnCountry, sex: a.sex.rawValue, age: age), default: 0] += 1
        }
        let rows = cells.map { Row(period: $0.key.period, sector: $0.key.sector, returnCountry: $0.key.country, sex: $0.key.sex, ageGroup: $0.key.age, persons: $0.value) }
            .sorted { ($0.period == consolidated ? "9" : $0.period, $0.sector, $0.returnCountry, $0.sex, $0.ageGroup)
                    < ($1.period == consolidated ? "9" : $1.period, $1.sector, $1.returnCountry, $1.sex, $1.ageGroup) }

        var totals: [Total] = []
        let periods = Set(firsts.keys.map(\.period)).sorted { ($0 == consolidated ? "9" : $0) < ($1 == consolidated ? "9" : $1) }
        for period in periods {
            let keys = firsts.keys.filter { $0.period == period }
            for sector in Sector.allCases {
                let persons = Set(keys.filter { $0.sector == sector }.map(\.person)).count
                if persons > 0 { totals.append(Total(period: period, sector: sector.rawValue, persons: persons)) }
            }
            totals.append(Total(period: period, sector: nil, persons: Set(keys.map(\.person)).count))
        }
        return FiveWReport(organisation: organisation, populationType: "Returnees", from: from, to: to, rows: rows, totals: totals)
    }

    /// CSV with a header row; the consolidated rows come last.
    var csv: String {
        func field(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        var lines = ["organisation,population_type,period,sector,return_country,sex,age_group,persons"]
        for r in rows {
            lines.append([organisation, populationType, r.period, r.sector, r.returnCountry, r.sex, r.ageGroup, String(r.persons)].map(field).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
