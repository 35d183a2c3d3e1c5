import Foundation
import HomewardModel
import HomewardRuntime
@testable import Intake
import Testing
import IntakeAPI

/// An office configuration for the fixed data set: Bogotá and Cali in Colombia, Caracas in
/// Venezuela; each sector under its own subsector, indicator and activity.
enum FiveWFixture {
    static func configuration(populationType: FiveWConfiguration.PopulationType = .returnees,
                              health: String = "Health") throws -> FiveWConfiguration {
        try FiveWConfiguration(
            appealingOrganisation: "IOM", implementationSetUp: .throughPartner, implementingPartner: "Partner, Ltd", populationType: populationType,
            activities: [
                "Health": .init(subsector: health, indicator: "# screened", activityName: "Screening"),
                "Humanitarian Transportation": .init(subsector: "Humanitarian Transportation", indicator: "# transported", activityName: "Travel"),
                "Integration": .init(subsector: "Integration", indicator: "# reintegrated", activityName: "Reintegration",
                                     activityDescription: "In kind", rmrpActivity: false),
            ],
            countries: [
                "CO": .init(name: "Colombia", cities: ["Bogotá": .init(admin1: "Bogotá, D.C.", admin2: "Bogotá, D.C."),
                                                       "Cali": .init(admin1: "Valle del Cauca", admin2: "Cali")]),
                "VE": .init(name: "Venezuela", cities: ["Caracas": .init(admin1: "Distrito Capital")]),
            ])
    }

    static func activity(_ person: String, _ sector: Sector, _ day: String, _ sex: Sex, _ born: String?, _ country: String,
                         _ city: String?) -> FiveWReport.Activity {
        // Intake records the age on the activity's day with the activity (none after an erasure).
        FiveWReport.Activity(personID: person, sector: sector, at: Instant.parse(day + "T12:00:00.000Z")!, sex: sex,
                             ageYears: born.map { LocalDate($0)!.age(on: LocalDate(day)!) }, returnCountry: country, returnCity: city)
    }

    /// Checked by hand:
    /// - P1 woman born 1990 (Bogotá): health 10 and 20 Jan, transport 5 Feb, integration 20 Feb and 15 Mar;
    /// - P2 boy born 2012 (Bogotá): health 10 Jan, transport 5 Feb;
    /// - P3 woman born 1950 (Caracas): health 1 Feb and 1 Mar;
    /// - P4 boy born 2000-02-15 (Caracas): health 31 Jan (aged 13), integration 1 Apr (outside the period);
    /// - P5 man born 1980 (" cali", as a caseworker typed it): health 15 Dec 2013 (before the
    ///   period) and 5 Jan: served in January, but not for the first time.
    static let data: [FiveWReport.Activity] = [
        activity("P1", .health, "2014-01-10", .female, "1990-01-01", "CO", "Bogotá"),
        activity("P1", .health, "2014-01-20", .female, "1990-01-01", "CO", "Bogotá"),
        activity("P1", .humanitarianTransportation, "2014-02-05", .female, "1990-01-01", "CO", "Bogotá"),
        activity("P1", .integration, "2014-02-20", .female, "1990-01-01", "CO", "Bogotá"),
        activity("P1", .integration, "2014-03-15", .female, "1990-01-01", "CO", "Bogotá"),
        activity("P2", .health, "2014-01-10", .male, "2012-06-01", "CO", "Bogotá"),
        activity("P2", .humanitarianTransportation, "2014-02-05", .male, "2012-06-01", "CO", "Bogotá"),
        activity("P3", .health, "2014-02-01", .female, "1950-05-05", "VE", "Caracas"),
        activity("P3", .health, "2014-03-01", .female, "1950-05-05", "VE", "Caracas"),
        activity("P4", .health, "2014-01-31", .male, "2000-02-15", "VE", "Caracas"),
        activity("P4", .integration, "2014-04-01", .male, "2000-02-15", "VE", "Caracas"),
        activity("P5", .health, "2013-12-15", .male, "1980-03-03", "CO", " cali"),
        activity("P5", .health, "2014-01-05", .male, "1980-03-03", "CO", " cali"),
    ]

    static func report(_ activities: [FiveWReport.Activity] = data, health: String = "Health") throws -> FiveWReport {
        FiveWReport.build(activities, from: "2014-01", to: "2014-03", configuration: try configuration(health: health))
    }
}

@Suite("5W report")
struct FiveWReportTests {
    let report: FiveWReport

    init() throws {
        report = try FiveWFixture.report()
    }

    func row(_ month: String, _ admin1: String, _ subsector: String) -> FiveWReport.Row? {
        report.rows.first { $0.month == month && $0.admin1 == admin1 && $0.subsector == subsector }
    }

    @Test func oneRowPerMonthPlaceAndActivityInTheTemplatesOrder() {
        #expect(report.rows.map { "\($0.month) \($0.admin1 ?? "-") \($0.subsector)" } == [
            "2014-01 Bogotá, D.C. Health", "2014-01 Valle del Cauca Health", "2014-01 Distrito Capital Health",
            "2014-02 Bogotá, D.C. Humanitarian Transportation", "2014-02 Bogotá, D.C. Integration", "2014-02 Distrito Capital Health",
            "2014-03 Bogotá, D.C. Integration", "2014-03 Distrito Capital Health",
        ])
        let cali = row("2014-01", "Valle del Cauca", "Health")
        #expect(cali?.country == "Colombia" && cali?.returnCountry == "CO" && cali?.admin2 == "Cali", "\" cali\" matches Cali")
        #expect(row("2014-01", "Distrito Capital", "Health")?.admin2 == nil, "no Admin2 configured")
        let integration = row("2014-02", "Bogotá, D.C.", "Integration")
        #expect(integration?.indicator == "# reintegrated" && integration?.activityName == "Reintegration"
                && integration?.activityDescription == "In kind" && integration?.rmrpActivity == false)
    }

    @Test func totalMonthlyBeneficiariesCountEachPersonOncePerMonth() {
        #expect(row("2014-01", "Bogotá, D.C.", "Health")?.totalMonthlyBeneficiaries == 2, "P1 twice in January counts once, and P2")
        #expect(row("2014-01", "Valle del Cauca", "Health")?.totalMonthlyBeneficiaries == 1)
        #expect(row("2014-02", "Bogotá, D.C.", "Humanitarian Transportation")?.totalMonthlyBeneficiaries == 2)
        #expect(row("2014-03", "Bogotá, D.C.", "Integration")?.totalMonthlyBeneficiaries == 1)
        #expect(row("2014-03", "Distrito Capital", "Health")?.totalMonthlyBeneficiaries == 1)
    }

    @Test func newBeneficiariesAreThoseServedForTheFirstTimeInTheIndicator() {
        #expect(row("2014-01", "Bogotá, D.C.", "Health")?.newBeneficiaries == 2)
        #expect(row("2014-01", "Valle del Cauca", "Health")?.newBeneficiaries == 0, "P5 was first screened in December")
        #expect(row("2014-02", "Distrito Capital", "Health")?.newBeneficiaries == 1)
        #expect(row("2014-03", "Distrito Capital", "Health")?.newBeneficiaries == 0, "P3 again")
        #expect(row("2014-03", "Bogotá, D.C.", "Integration")?.newBeneficiaries == 0, "P1 again")
        // Summed over the months, new beneficiaries count each person once: the persons first
        // screened in the period (P1 to P4; P5 was screened before it).
        let health = report.rows.filter { $0.subsector == "Health" }
        #expect(health.map(\.newBeneficiaries).reduce(0, +) == 4)
        #expect(health.map(\.totalMonthlyBeneficiaries).reduce(0, +) == 6, "never summed: 6 by month, but 5 persons were screened in the period")
    }

    @Test func newBeneficiariesAreBrokenDownByPopulationTypeAndBySexAndAgeUnderOrAbove18() {
        let january = row("2014-01", "Bogotá, D.C.", "Health")
        #expect(january?.populationTypes == .init(returnees: 2))
        #expect(january?.ageSex == .init(menUnder18: 1, womenAbove18: 1))
        #expect(row("2014-01", "Distrito Capital", "Health")?.ageSex == .init(menUnder18: 1), "aged 13 on 31 January")
        #expect(row("2014-02", "Distrito Capital", "Health")?.ageSex == .init(womenAbove18: 1), "aged 63")
        #expect(row("2014-01", "Valle del Cauca", "Health")?.ageSex == .init(), "no new beneficiary")
        let destination = try? FiveWReport.build(FiveWFixture.data, from: "2014-01", to: "2014-03",
                                                 configuration: FiveWFixture.configuration(populationType: .inDestination))
        #expect(destination?.rows.first?.populationTypes == .init(inDestination: 2), "the office chooses the column")
        #expect(destination?.populationType == "Refugees and Migrants IN DESTINATION")
    }

    @Test func eighteenIsAbove18AndOtherHasItsOwnColumns() {
        var ageSex = FiveWReport.AgeSex()
        for (sex, age) in [(Sex.female, 17), (.female, 18), (.male, 0), (.male, 60), (.other, 17), (.other, 18)] { ageSex.count(sex, age: age) }
        #expect(ageSex == .init(womenUnder18: 1, menUnder18: 1, womenAbove18: 1, menAbove18: 1, otherUnder18: 1, otherAbove18: 1))
        ageSex.count(.female, age: nil)
        #expect(ageSex.columns.reduce(0, +) == 6, "no age recorded: no column")
    }

    @Test func totalsCountEachPersonOncePerMonthAndOverThePeriod() {
        func total(_ period: String, _ subsector: String?) -> Int? {
            report.totals.first { $0.period == period && $0.subsector == subsector }?.persons
        }
        #expect(total("2014-01", "Health") == 4)
        #expect(total("2014-01", nil) == 4)
        #expect(total("2014-02", "Humanitarian Transportation") == 2)
        #expect(total("2014-02", nil) == 3, "P1 in two subsectors is one person")
        #expect(total("2014-03", nil) == 2)
        #expect(total("consolidated", "Health") == 5, "4 + 1 + 1 by month, but 5 persons")
        #expect(total("consolidated", "Integration") == 1, "1 + 1 by month, but one person; P4's April activity is outside the period")
        #expect(total("consolidated", nil) == 5)
        #expect(report.totals.last?.period == "consolidated")
    }

    @Test func whoComesFromTheConfiguration() {
        #expect(report.appealingOrganisation == "IOM" && report.implementationSetUp == "Through implementing partner"
                && report.implementingPartner == "Partner, Ltd" && report.populationType == "Colombian Returnees")
    }

    @Test func csvIsTheTemplateWithItsHeaderAndOneLinePerRow() {
        let lines = report.csv.split(separator: "\n").map(String.init)
        let header: String = "Country,Admin1,Admin2,Appealing organisation Name,Implementation Set up,Implementing partner Name,Month,"
            + "Subsector,Indicator,Activity Name,Activity Description,RMRP Activity,CVA,Value (in USD),Delivery mechanism,Quantity of output,"
            + "Total monthly beneficiaries,New beneficiaries of the month,Refugees and Migrants IN DESTINATION,Refugees and Migrants IN TRANSIT,"
            + "Host Communities Beneficiaries,Refugees and Migrants PENDULARS,Colombian Returnees,"
            + "Women under 18,Men under 18,Women above 18,Men above 18,Other under 18,Other above 18"
        #expect(lines.first == header)
        #expect(lines.count == report.rows.count + 1)
        let who = #"Colombia,"Bogotá, D.C.","Bogotá, D.C.",IOM,Through implementing partner,"Partner, Ltd","#
        let january: String = who + "2014-01,Health,# screened,Screening,,Yes,No,,,,2,2,0,0,0,0,2,0,1,1,0,0,0"
        let february: String = who + "2014-02,Integration,# reintegrated,Reintegration,In kind,No,No,,,,1,1,0,0,0,0,1,0,0,1,0,0,0"
        #expect(lines[1] == january)
        #expect(lines.contains(february))
    }
}

@Suite("5W report: R4V's quality rules")
struct FiveWQualityTests {
    @Test func theFixedReportPassesEveryRule() throws {
        #expect(FiveWQuality.check(try FiveWFixture.report()).isEmpty)
    }

    @Test func aCityTheOfficeDidNotMapHasNoAdmin1() throws {
        let report = try FiveWFixture.report(FiveWFixture.data + [FiveWFixture.activity("P6", .health, "2014-01-02", .female, "1990-01-01", "CO", "Medellín")])
        let failures = FiveWQuality.check(report)
        #expect(failures.map(\.rule) == [.admin1Required])
        let failure = try #require(failures.first)
        #expect(report.rows[failure.row].admin1 == nil && failure.field == "admin1")
        #expect(failure.detail.contains("2014-01, Colombia, no Admin1, Health") && failure.detail.contains("countries.CO.cities"), "\(failure.detail)")
    }

    @Test func aNewBeneficiaryWithNoAgeRecordedMakesTheAgeSexSumFallShort() throws {
        let report = try FiveWFixture.report(FiveWFixture.data + [FiveWFixture.activity("P6", .health, "2014-03-02", .male, nil, "VE", "Caracas")])
        let failures = FiveWQuality.check(report)
        #expect(failures.map(\.rule) == [.ageSexSum])
        #expect(failures.first.map { report.rows[$0.row].month } == "2014-03")
        #expect(failures.first?.detail.contains("the age/sex columns sum to 0, the population-type columns to 1") == true)
    }

    @Test func newBeneficiariesAboveTheTotalAndBreakdownsThatDoNotAddUpAreRefused() throws {
        let report = try FiveWFixture.report()
        var row = report.rows[0]
        row.newBeneficiaries = 3
        #expect(FiveWQuality.check(row, at: 0).map(\.rule) == [.newWithinTotal, .populationTypeSum])
        row = report.rows[0]
        row.populationTypes.inTransit = 1
        #expect(FiveWQuality.check(row, at: 0).map(\.rule) == [.populationTypeSum, .ageSexSum])
        row = report.rows[0]
        row.totalMonthlyBeneficiaries = 0
        #expect(FiveWQuality.check(row, at: 0).map(\.rule) == [.totalMonthlyBeneficiaries, .newWithinTotal])
    }

    @Test func educationAndChildProtectionNeedNewBeneficiariesUnder18() throws {
        let report = try FiveWFixture.report(health: "Child Protection")
        let failures = FiveWQuality.check(report)
        #expect(failures.map(\.rule) == [.under18Present], "February's new beneficiary in Caracas is 63; January's rows have boys")
        #expect(failures.first.map { report.rows[$0.row].month } == "2014-02")
    }
}

@Suite("5W configuration")
struct FiveWConfigurationTests {
    /// The repository's shipped file, found from this file's path.
    static let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Services/Intake/Reports/5w-canada-gta-pilot.json")

    static func document(_ change: (inout [String: Any]) -> Void) throws -> Data {
        var object = try JSONSerialization.jsonObject(with: Data(contentsOf: shipped)) as! [String: Any]
        change(&object)
        return try JSONSerialization.data(withJSONObject: object)
    }

    static func refusal(_ change: (inout [String: Any]) -> Void) throws -> FiveWConfiguration.Invalid {
        let data = try document(change)
        return try #require(throws: FiveWConfiguration.Invalid.self) { try FiveWConfiguration.decode(data) }
    }

    @Test func theShippedPilotOfficeFileLoadsAndMapsEverySector() throws {
        let shipped = try FiveWConfiguration.load(file: Self.shipped)
        #expect(shipped.appealingOrganisation == "IOM" && shipped.implementationSetUp == .direct && shipped.implementingPartnerName == "IOM")
        #expect(shipped.populationType == .returnees)
        #expect(Sector.allCases.map { shipped.activity($0).subsector } == ["Health", "Humanitarian Transportation", "Integration"])
        #expect(shipped.countries["CO"]?.admin(of: "cali")?.admin1 == "Valle del Cauca")
        #expect(try FiveWConfiguration.decode(JSONEncoder().encode(shipped)) == shipped)
        #expect(try FiveWConfiguration.load(file: IntakeService.shippedFiveW) == shipped, "the service's bundle holds the same file")
    }

    @Test func anUnknownKeyIsRefusedAtItsPath() throws {
        let top = try Self.refusal { $0["appealingOrganization"] = "IOM" }
        #expect(top.field == "appealingOrganization" && top.problem.contains("not a known key"))
        let nested = try Self.refusal { object in
            var activities = object["activities"] as! [String: Any]
            var health = activities["Health"] as! [String: Any]
            health["indicatorType"] = "Direct Assistance"
            activities["Health"] = health
            object["activities"] = activities
        }
        #expect(nested.field == "activities.Health.indicatorType")
        let city = try Self.refusal { object in
            var countries = object["countries"] as! [String: Any]
            countries["CO"] = ["name": "Colombia", "cities": ["Cali": ["admin1": "Valle del Cauca", "admin3": "x"]]]
            object["countries"] = countries
        }
        #expect(city.field == "countries.CO.cities.Cali.admin3")
    }

    @Test func whatTheReportReliesOnIsValidated() throws {
        let unmapped = try Self.refusal { object in
            var activities = object["activities"] as! [String: Any]
            activities["Integration"] = nil
            object["activities"] = activities
        }
        #expect(unmapped.field == "activities" && unmapped.problem.contains("\"Integration\" is not mapped"))
        let sector = try Self.refusal { object in
            var activities = object["activities"] as! [String: Any]
            activities["Education"] = activities["Health"]
            object["activities"] = activities
        }
        #expect(sector.field == "activities.Education")
        let partner = try Self.refusal { $0["implementationSetUp"] = "through-partner" }
        #expect(partner.field == "implementingPartner" && partner.problem.contains("required"))
        let column = try Self.refusal { $0["populationType"] = "Returnees" }
        #expect(column.field == "populationType" && column.problem.contains("Colombian Returnees"))
        let country = try Self.refusal { object in
            var countries = object["countries"] as! [String: Any]
            countries["col"] = countries["CO"]
            object["countries"] = countries
        }
        #expect(country.field == "countries.col")
        let twice = try Self.refusal { object in
            var countries = object["countries"] as! [String: Any]
            countries["CO"] = ["name": "Colombia", "cities": ["Bogotá": ["admin1": "Bogotá, D.C."], "BOGOTA": ["admin1": "Bogotá, D.C."]]]
            object["countries"] = countries
        }
        #expect(twice.field == "countries.CO.cities.Bogotá" && twice.problem.contains("same city"))
    }
}
