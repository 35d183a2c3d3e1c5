import Foundation
import HomewardModel
import HomewardRuntime
@testable import HealthScreening
import HealthScreeningAPI
import TestSupport
import Testing

/// Intake corrected a traveller's age or sex (`intake.traveller-corrected`): health keeps
/// them, an open screening asks for the tests of the corrected age, an outcome issued stands.
extension HealthWorkflowTests {
    @Test func aCorrectedAgeChangesTheTestsOfAnOpenScreeningAndAnIssuedOutcomeStands() throws {
        try exam("C1-T1", results: HealthFixtures.fullResults)
        try fitness("C1-T1", .cleared)
        let published = try store.unpublishedEvents(of: .healthScreening).count

        try apply(TravellerCorrected(travellerID: "C1-T4", ageYears: 15))
        try apply(TravellerCorrected(travellerID: "C1-T3", sex: .male))
        try apply(TravellerCorrected(travellerID: "C1-T1", ageYears: 10, sex: .other))
        try apply(TravellerCorrected(travellerID: "C1-T5", familyRole: .sibling, travelDocumentStatus: .expired))

        let youth = try record("C1-T4")
        #expect(youth.ageYears == 15)
        #expect(youth.screenings.map(\.requiredTests) == [["chest-x-ray", "urinalysis", "hiv", "syphilis"]], "the open screening's tests follow the age")
        #expect(try record("C1-T3").sex == .male)
        #expect(try record("C1-T3").screenings[0].requiredTests == ["chest-x-ray", "urinalysis"])
        let cleared = try record("C1-T1")
        #expect(cleared.ageYears == 10 && cleared.sex == .other)
        #expect(cleared.screenings.map(\.status) == ["cleared"], "the officer's finding stands")
        #expect(cleared.screenings[0].requiredTests == ["chest-x-ray", "urinalysis", "hiv", "syphilis"])
        #expect(try record("C1-T5").ageYears == 4 && record("C1-T5").sex == .female, "travel's facts change nothing here")
        #expect(try store.unpublishedEvents(of: .healthScreening).count == published, "nothing announced")

        // A re-screen, if the officer decides one, asks for the tests of the corrected age.
        try store.write { db in try workflow.rescreen("C1-T1", RescreenInput(recordedBy: "ho-1"), in: db) }
        #expect(try record("C1-T1").screenings.last?.requiredTests == ["urinalysis"])
    }
}
