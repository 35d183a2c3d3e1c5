import Foundation

/// R4V's quality rules for a 5W row, checked on the whole report before any of it is
/// written: a report that breaks one is refused, not sent to the platform to be rejected
/// there. The rules are those of R4V's 5W quality checks for direct assistance (every
/// Homeward activity assists a person directly).
enum FiveWQuality {
    /// A row that breaks a rule: which row (0-based in ``FiveWReport/rows``), which rule,
    /// the column at fault and why. Rows hold no personal value, so the detail may quote them.
    struct Failure: Error, Equatable, Sendable {
        let row: Int
        let rule: Rule
        /// The JSON field of the row at fault (`admin1`, `newBeneficiaries`, ...).
        let field: String
        let detail: String
    }

    enum Rule: String, Sendable, CaseIterable {
        /// Admin1 names a place R4V knows; here: the office mapped the city of return.
        case admin1Required = "admin1-required"
        /// Total monthly beneficiaries is required and above zero for direct assistance.
        case totalMonthlyBeneficiaries = "total-monthly-beneficiaries"
        /// New beneficiaries of the month is between 0 and the total of the month.
        case newWithinTotal = "new-within-total"
        /// The population-type columns sum to the new beneficiaries.
        case populationTypeSum = "population-type-sum"
        /// The age/sex columns sum to the same as the population-type columns.
        case ageSexSum = "age-sex-sum"
        /// Education and child protection serve children: new beneficiaries include some under 18.
        case under18Present = "under-18-present"
    }

    /// Every failure, in row order (a row may break several rules).
    static func check(_ report: FiveWReport) -> [Failure] {
        report.rows.enumerated().flatMap { index, row in check(row, at: index) }
    }

    static func check(_ row: FiveWReport.Row, at index: Int) -> [Failure] {
        var failures: [Failure] = []
        func fail(_ rule: Rule, _ field: String, _ why: String) {
            failures.append(Failure(row: index, rule: rule, field: field, detail: "row \(index + 1) (\(describe(row))): \(why)"))
        }
        if row.admin1 == nil {
            fail(.admin1Required, "admin1", "no Admin1: the 5W configuration maps no such city of return in \(row.returnCountry) "
                 + "(countries.\(row.returnCountry).cities), or the case has none")
        }
        if row.totalMonthlyBeneficiaries <= 0 {
            fail(.totalMonthlyBeneficiaries, "totalMonthlyBeneficiaries", "total monthly beneficiaries is \(row.totalMonthlyBeneficiaries), must be above 0")
        }
        if row.newBeneficiaries < 0 || row.newBeneficiaries > row.totalMonthlyBeneficiaries {
            fail(.newWithinTotal, "newBeneficiaries",
                 "new beneficiaries of the month (\(row.newBeneficiaries)) must be from 0 to the total monthly beneficiaries (\(row.totalMonthlyBeneficiaries))")
        }
        let populationTypes = row.populationTypes.columns.reduce(0, +)
        if populationTypes != row.newBeneficiaries {
            fail(.populationTypeSum, "populationTypes",
                 "the population-type columns sum to \(populationTypes), the new beneficiaries of the month are \(row.newBeneficiaries)")
        }
        let ageSex = row.ageSex.columns.reduce(0, +)
        if ageSex != populationTypes {
            fail(.ageSexSum, "ageSex", "the age/sex columns sum to \(ageSex), the population-type columns to \(populationTypes)"
                 + (ageSex < populationTypes ? " (a person with no age recorded fits no age/sex column)" : ""))
        }
        let subsector = row.subsector.lowercased()
        if (subsector.contains("education") || subsector.contains("child protection")) && row.newBeneficiaries > 0 && row.ageSex.under18 == 0 {
            fail(.under18Present, "ageSex", "\(row.subsector) has \(row.newBeneficiaries) new beneficiaries and none under 18")
        }
        return failures
    }

    /// "2014-01, Colombia, Valle del Cauca, Health, <indicator>, <activity>".
    static func describe(_ row: FiveWReport.Row) -> String {
        [row.month, row.country, row.admin1 ?? "no Admin1", row.admin2, row.subsector, row.indicator, row.activityName]
            .compactMap { $0 }.joined(separator: ", ")
    }
}
