import Foundation
import GRDB
import HomewardModel
import HomewardStore
@testable import HealthScreening
import Testing

extension HealthWorkflowTests {
    /// Medical detail is erased once every traveller of the case left longer ago than the
    /// medical retention, once; the outcomes and their dates stay, and a case still in
    /// screening keeps everything.
    @Test func medicalDetailIsErasedOnceEveryTravellerLeftLongerAgoThanTheRetention() async throws {
        try exam("C1-T1", results: HealthFixtures.fullResults)
        try fitness("C1-T1", .clearedWithRequirements, requirements: [.oxygen])
        let other = ReadyForScreening(travellers: [.init(travellerID: "C2-T1", ageYears: 30, sex: .male)])
        try await store.write { [workflow] db in try HealthScreeningService.handlers(workflow).apply(.received(other, case: "C2", at: HealthFixtures.now), in: db) }
        try exam("C2-T1", results: HealthFixtures.fullResults)

        let left = HealthFixtures.now.addingTimeInterval(3600)
        try apply(Departed(bookingID: "B1", departedAt: left, travellerIDs: ["C1-T1", "C1-T2", "C1-T3", "C1-T4"], noShowTravellerIDs: ["C1-T5"]), at: left)
        let clock: @Sendable () -> Date = { left.addingTimeInterval(90 * 86_400) }
        #expect(try await MedicalRetentionSweep.erase(in: store, endedBefore: left.addingTimeInterval(3600), at: clock) == 0,
                "a no-show traveller is still in screening: the case keeps its detail")

        try apply(Departed(bookingID: "B2", departedAt: left, travellerIDs: ["C1-T5"]), at: left)
        #expect(try await MedicalRetentionSweep.erase(in: store, endedBefore: left, at: clock) == 0, "not yet past the retention")
        #expect(try await MedicalRetentionSweep.erase(in: store, endedBefore: left.addingTimeInterval(1), at: clock) == 1)
        #expect(try await MedicalRetentionSweep.erase(in: store, endedBefore: left.addingTimeInterval(1), at: clock) == 0, "once")

        let erased = try record("C1-T1")
        #expect(erased.screenings[0].exams.isEmpty)
        #expect(erased.screenings[0].outcomes.map(\.outcome) == [.clearedWithRequirements] && erased.screenings[0].outcomes[0].travelRequirements == nil)
        #expect(erased.medicalDetailErasedAt == clock() && erased.status == "departed")
        #expect(try await store.read { db in try DocumentStore.isErased("C1", in: db) })
        let kept = try record("C2-T1")
        #expect(kept.screenings[0].exams.count == 1 && kept.medicalDetailErasedAt == nil, "a case in screening keeps its detail")
    }
}
