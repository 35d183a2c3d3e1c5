import Foundation
import HomewardModel
@testable import Intake
import Testing
import IntakeAPI

/// A fixed data set with figures checked by hand:
/// - P1 woman born 1990 (CO): health 10 and 20 Jan, transport 5 Feb, integration 20 Feb and 15 Mar;
/// - P2 boy born 2012 (CO): health 10 Jan, transport 5 Feb;
/// - P3 woman born 1950 (VE): health 1 Feb and 1 Mar;
/// - P4 boy born 2000-02-15 (VE): health 31 Jan (aged 13), integration 1 Apr (outside the period).
@Suite("5W report")
struct FiveWReportTests {
    static func activity(_ person: String, _ sector: Sector, _ day: String, _ sex: Sex, _ born: String, _ country: String) -> FiveWReport.Activity {
        // Intake records the age on the activity's day with the activity.
        FiveWReport.Activity(personID: person, sector: sector, at: Instant.parse(day + "T12:00:00.000Z")!, sex: sex,
                             ageYears: LocalDate(born)!.age(on: LocalDate(day)!), returnCountry: country)
    }

    static let data: [FiveWReport.Activity] = [
        activity("P1", .health, "2014-01-10", .female, "1990-01-01", "CO"),
        activity("P1", .health, "2014-01-20", .female, "1990-01-01", "CO"),
        activity("P1", .humanitarianTransportation, "2014-02-05", .female, "1990-01-01", "CO"),
        activity("P1", .integration, "2014-02-20", .female, "1990-01-01", "CO"),
        activity("P1", .integration, "2014-03-15", .female, "1990-01-01", "CO"),
        activity("P2", .health, "2014-01-10", .male, "2012-06-01", "CO"),
        activity("P2", .humanitarianTransportation, "2014-02-05", .male, "2012-06-01", "CO"),
        activity("P3", .health, "2014-02-01", .female, "1950-05-05", "VE"),
        activity("P3", .health, "2014-03-01", .female, "1950-05-05", "VE"),
        activity("P4", .health, "2014-01-31", .male, "2000-02-15", "VE"),
        activity("P4", .integration, "2014-04-01", .male, "2000-02-15", "VE"),
    ]

    let report = FiveWReport.build(data, from: "2014-01", to: "2014-03", organisation: "IOM")

    func total(_ period: String, _ sector: Sector?) -> Int? {
        report.totals.first { $0.period == period && $0.sector == sector?.rawValue }?.persons
    }

    @Test func monthlyFiguresCountEachPersonOncePerMonth() {
        #expect(total("2014-01", .health) == 3, "P1 twice in January counts once")
        #expect(total("2014-01", nil) == 3)
        #expect(total("2014-02", .health) == 1)
        #expect(total("2014-02", .humanitarianTransportation) == 2)
        #expect(total("2014-02", .integration) == 1)
        #expect(total("2014-02", nil) == 3, "P1 in three sectors is one person")
        #expect(total("2014-03", .health) == 1)
        #expect(total("2014-03", .integration) == 1)
        #expect(total("2014-03", nil) == 2)
    }

    @Test func theConsolidatedFigureIsNeverASumOfMonths() {
        #expect(total("consolidated", .health) == 4, "3 + 1 + 1 by month, but 4 persons")
        #expect(total("consolidated", .humanitarianTransportation) == 2)
        #expect(total("consolidated", .integration) == 1, "1 + 1 by month, but one person")
        #expect(total("consolidated", nil) == 4, "P4's April activity is outside the period")
    }

    @Test func rowsDisaggregateBySexAgeGroupAndCountry() {
        func row(_ period: String, _ sector: Sector, _ country: String, _ sex: String, _ age: String) -> Int? {
            report.rows.first { $0.period == period && $0.sector == sector.rawValue && $0.returnCountry == country && $0.sex == sex && $0.ageGroup == age }?.persons
        }
        #expect(row("2014-01", .health, "CO", "female", "18-59") == 1)
        #expect(row("2014-01", .health, "CO", "male", "0-4") == 1)
        #expect(row("2014-01", .health, "VE", "male", "12-17") == 1, "aged 13 on 31 January")
        #expect(row("consolidated", .health, "VE", "female", "60+") == 1)
        #expect(report.rows.filter { $0.period == "consolidated" }.map(\.persons).reduce(0, +) == 7, "4 health + 2 transport + 1 integration")
        #expect(report.rows.last?.period == "consolidated", "consolidated rows last")
    }

    @Test func csvHasAHeaderAndOneLinePerRow() {
        let lines = report.csv.split(separator: "\n")
        #expect(lines.first == "organisation,population_type,period,sector,return_country,sex,age_group,persons")
        #expect(lines.count == report.rows.count + 1)
        #expect(lines.contains("IOM,Returnees,2014-02,Humanitarian Transportation,CO,male,0-4,1"))
    }

    @Test func ageGroupBoundaries() {
        #expect([0, 4, 5, 11, 12, 17, 18, 59, 60].map(FiveWReport.ageGroup) == ["0-4", "0-4", "5-11", "5-11", "12-17", "12-17", "18-59", "18-59", "60+"])
    }
}
