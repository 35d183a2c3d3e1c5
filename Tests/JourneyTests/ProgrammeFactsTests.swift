import Foundation
import HomewardJourneys
import TestSupport
import Testing

/// The figures the journeys check against are the shipped configuration's: a change to a
/// programme or to the screening rules fails here, not in a journey an hour later.
@Suite("Programme facts")
struct ProgrammeFactsTests {
    static func json(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: repositoryRoot.appendingPathComponent(path))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// A programme's budget for `tier`, the first tier of that name.
    static func budget(_ programme: [String: Any], tier: String) -> Int? {
        (programme["tiers"] as? [[String: Any]])?.first { $0["tier"] as? String == tier }?["budgetMinor"] as? Int
    }

    @Test func theJourneysFiguresAreTheShippedProgrammes() throws {
        let generic = try Self.json("Services/Intake/Programmes/generic-avrr.json")
        let pilot = try Self.json("Services/Intake/Programmes/canada-gta-pilot.json")
        #expect(generic["id"] as? String == ProgrammeFacts.generic)
        #expect(pilot["id"] as? String == ProgrammeFacts.canadaPilot)
        #expect(Self.budget(generic, tier: "full") == ProgrammeFacts.genericFullBudgetMinor)
        #expect(Self.budget(pilot, tier: "full") == ProgrammeFacts.pilotFullBudgetMinor)
        #expect(Self.budget(pilot, tier: "designated-country-of-origin") == ProgrammeFacts.pilotDesignatedCountryBudgetMinor)
    }

    @Test func theJourneysTestsAreTheShippedScreeningRules() throws {
        let rules = try Self.json("Services/HealthScreening/Rules/screening-rules.json")
        let tests = (rules["tests"] as? [[String: Any]] ?? []).map { ($0["test"] as? String ?? "", $0["fromAge"] as? Int ?? -1) }
        #expect(tests.map(\.0) == ProgrammeFacts.testsFromAge.map(\.test))
        #expect(tests.map(\.1) == ProgrammeFacts.testsFromAge.map(\.fromAge))
        #expect(rules["clearanceValidityMonths"] as? Int == ProgrammeFacts.clearanceValidityMonths)
    }
}
