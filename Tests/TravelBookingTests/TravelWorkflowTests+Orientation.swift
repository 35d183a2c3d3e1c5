import Foundation
import HomewardModel
import HomewardRuntime
import TestSupport
@testable import TravelBooking
import Testing
import TravelBookingAPI

/// The departure gate: a traveller whose pre-departure orientation the programme requires
/// (intake's `orientation-required`) boards only once intake recorded it.
extension TravelWorkflowTests {
    func orientations() throws -> [OrientationStatus] {
        try store.read { db in try TravelRepository.caseView("C1", at: TravelFixtures.now, in: db)!.travellers.map(\.orientation) }
    }

    @Test func aTravellerWhoseOrientationIsRequiredBoardsOnlyOnceItIsRecorded() throws {
        try apply(OrientationRequired(travellerIDs: ["C1-T1", "C1-T2"]))
        try apply(OrientationRecorded(travellerID: "C1-T2", heldAt: TravelFixtures.now))
        #expect(try orientations() == [.required, .recorded, .notRequired])
        let id = try confirmedBooking()
        for t in TravelFixtures.travellers {
            try apply(PreEmbarkationCheckDone(travellerID: t, bookingID: id, outcome: .cleared, travelRequirements: [], holdUntil: nil))
        }
        let atDeparture = workflow(at: Instant.parse("2026-07-01T11:30:00Z")!)
        let all = DepartureInput(boarded: ["C1-T3", "C1-T2", "C1-T1"], recordedBy: "mo")
        let refused = refusal(expecting: "orientation-missing") { try store.write { db in try atDeparture.depart(id, all, in: db) } }
        #expect(refused?.rule == "orientation-missing")
        #expect(refused?.statusCode == 409)
        #expect(refused?.field == "/boarded/2")
        #expect(refused?.detail?.contains("C1-T1") == true)
        #expect(try store.read { db in try TravelRepository.booking(id, in: db)!.status } == "confirmed", "nothing written")

        try apply(OrientationRecorded(travellerID: "C1-T1", heldAt: TravelFixtures.now))
        try store.write { db in try atDeparture.depart(id, all, in: db) }
        #expect(try store.unpublishedEvents(of: .travelBooking).last?.type.name == "travel-booking.departed")
    }

    /// Both events of a case come in order on one partition; were they not, an orientation
    /// recorded first stays recorded, and a requirement redelivered changes nothing.
    @Test func anOrientationRecordedBeforeItIsRequiredStaysRecorded() throws {
        try apply(OrientationRecorded(travellerID: "C1-T1", heldAt: TravelFixtures.now))
        try apply(OrientationRequired(travellerIDs: ["C1-T1", "C1-T3"]))
        try apply(OrientationRequired(travellerIDs: ["C1-T1", "C1-T3"]))
        #expect(try orientations() == [.recorded, .notRequired, .required])
        // A programme without the rule never says so: nobody waits.
        try apply(CaseRegistered(programmeID: "generic-avrr", travellers: [.init(travellerID: "C2-T1", familyRole: .principal, travelDocumentStatus: .valid)],
                                 returnCountry: "CO"), case: "C2")
        #expect(try store.read { db in try TravelRepository.travellers("C2", in: db).map(\.orientation) } == [.notRequired])
    }
}
