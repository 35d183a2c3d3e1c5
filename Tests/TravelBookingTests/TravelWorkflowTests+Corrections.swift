import Foundation
import HomewardModel
import HomewardRuntime
import TestSupport
@testable import TravelBooking
import Testing
import TravelBookingAPI

/// Intake corrected a traveller's family role or travel-document status
/// (`intake.traveller-corrected`): travel keeps them, and a document no longer valid holds
/// the confirmed booking as a movement officer's update does.
extension TravelWorkflowTests {
    func travellers() throws -> [Traveller] { try store.read { db in try TravelRepository.travellers("C1", in: db) } }

    @Test func aCorrectedRoleOrDocumentIsKeptAndAnInvalidDocumentHoldsTheBooking() throws {
        let booking = try confirmedBooking()
        let published = try store.unpublishedEvents(of: .travelBooking).count
        try apply(TravellerCorrected(travellerID: "C1-T2", ageYears: 71, sex: .female))
        #expect(try store.unpublishedEvents(of: .travelBooking).count == published, "health's facts change nothing here")

        try apply(TravellerCorrected(travellerID: "C1-T2", familyRole: .spouseOrPartner))
        #expect(try travellers().map(\.familyRole) == [.principal, .spouseOrPartner, .child])
        #expect(try store.unpublishedEvents(of: .travelBooking).count == published, "a role changes no booking")

        let correction = ReceivedEvent.received(TravellerCorrected(travellerID: "C1-T3", travelDocumentStatus: .expired), case: "C1", at: TravelFixtures.now)
        let handlers = TravelBookingService.handlers(workflow)
        try store.write { db in try handlers.apply(correction, in: db) }
        #expect(try travellers().map(\.documentStatus) == [.valid, .valid, .expired])
        let held = try #require(try store.unpublishedEvents(of: .travelBooking).last)
        #expect(held.payload(as: BookingOnHold.self) == BookingOnHold(bookingID: booking, reason: .travelDocumentInvalid, travellerIDs: ["C1-T3"], holdUntil: nil))
        #expect(held.causationID == correction.id, "caused by the correction")
    }
}
