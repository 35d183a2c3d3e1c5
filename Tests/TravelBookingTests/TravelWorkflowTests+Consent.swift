import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore
import TestSupport
@testable import TravelBooking
import Testing
import TravelBookingAPI

extension TravelWorkflowTests {
    func expectConsentWithdrawn(_ step: String, _ body: (Database) throws -> Void) {
        guard let problem = refusal(expecting: "consent-withdrawn", { try store.write(body) }) else { return }
        #expect(problem.rule == "consent-withdrawn", "\(step)")
        #expect(problem.statusCode == 409, "\(step)")
        #expect(problem.missing == ["processing"], "\(step): the problem names the purpose")
    }

    @Test func withdrawnConsentToProcessingHoldsTheBookingAndRefusesEveryStepUntilGivenAgain() throws {
        let id = try confirmedBooking()
        let later = TravelFixtures.now.addingTimeInterval(3_600)
        try apply(ConsentChanged(purpose: .processing, granted: false), at: later)
        let held = try #require(try store.read { db in try TravelRepository.booking(id, in: db) })
        #expect(held.status == "on-hold" && held.reason == "consent-withdrawn")
        #expect(try store.unpublishedEvents(of: .travelBooking).compactMap { $0.payload(as: BookingOnHold.self) }.isEmpty,
                "travel's own hold, not announced (booking-on-hold v1 has no such reason)")
        #expect(try store.read { db in try TravelRepository.readiness("C1", at: later, in: db) }.reasons == ["the person withdrew consent to processing"])

        let workflow = self.workflow
        expectConsentWithdrawn("a proposal") { db in _ = try workflow.propose("C1", TravelFixtures.booking(), in: db) }
        expectConsentWithdrawn("a confirmation") { db in try workflow.confirm(id, ConfirmationInput(recordedBy: "mo"), in: db) }
        expectConsentWithdrawn("a departure") { db in try workflow.depart(id, DepartureInput(boarded: TravelFixtures.travellers, recordedBy: "mo"), in: db) }
        #expect(try store.read { db in try TravelRepository.bookings("C1", in: db) }.map(\.status) == ["on-hold"], "the refusals changed nothing")

        try apply(ConsentChanged(purpose: .processing, granted: true), at: later.addingTimeInterval(60))
        #expect(try store.read { db in try TravelRepository.readiness("C1", at: later, in: db) }.bookable)
        let rebooking = try propose()
        #expect(try store.read { db in try TravelRepository.booking(rebooking, in: db) }?.rebookingOf == id, "given again, the family is rebooked")
    }

    @Test func aConsentBeforeTheCaseIsKeptAndTheLatestWins() throws {
        let store = try TravelFixtures.makeStore()
        let handlers = TravelBookingService.handlers(workflow)
        func apply(_ payload: any EventPayload, at time: Date = TravelFixtures.now) throws {
            try store.write { db in try handlers.apply(.received(payload, case: "C2", at: time), in: db) }
        }
        func reasons() throws -> [String] { try store.read { db in try TravelRepository.readiness("C2", at: TravelFixtures.now, in: db) }.reasons }
        try apply(ConsentChanged(purpose: .processing, granted: false))
        try apply(CaseRegistered(programmeID: "p", travellers: [.init(travellerID: "C2-T1", familyRole: .principal, travelDocumentStatus: .valid)],
                                 returnCountry: "CO"))
        try apply(EligibilityDecided(eligible: true))
        try apply(ReadyForScreening(travellers: [.init(travellerID: "C2-T1", ageYears: 30, sex: .male)]))
        try apply(TravelFixtures.clearance("C2-T1"))
        #expect(try reasons() == ["the person withdrew consent to processing"])
        try apply(ConsentChanged(purpose: .processing, granted: true), at: TravelFixtures.now.addingTimeInterval(60))
        try apply(ConsentChanged(purpose: .processing, granted: false), at: TravelFixtures.now.addingTimeInterval(30))  // an older one, late
        #expect(try reasons() == [])
        // Travel booking shares nothing with the receiving authorities: withdrawing that consent holds nothing.
        try apply(ConsentChanged(purpose: .sharingWithReceivingAuthorities, granted: false), at: TravelFixtures.now.addingTimeInterval(90))
        #expect(try reasons() == [])
        #expect(try store.read { db in try ConsentStore.isWithdrawn(.sharingWithReceivingAuthorities, of: "C2", in: db) })
    }
}
