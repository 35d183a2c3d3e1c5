import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore
@testable import Reintegration
import ReintegrationAPI
import TestSupport
import Testing

/// Handover before arrival: travel's confirmed booking makes the case `expected`, with its
/// arrival, until the family arrives, the booking is cancelled or the case ends.
extension ReintegrationWorkflowTests {
    static let landing = Instant.parse("2026-07-31T22:40:00.000Z")!
    static let confirmedAt = Instant.parse("2026-07-20T09:00:00.000Z")!

    func confirmed(_ booking: BookingID, arriving: Date = Self.landing, flight: String = "AV205") -> BookingConfirmed {
        BookingConfirmed(bookingID: booking, travellerIDs: ["C1-T1"], departureAt: arriving.addingTimeInterval(-9 * 3_600), arrivalAt: arriving,
                         arrivalAirport: "MDE", arrivalFlightNumber: flight)
    }

    func eligible(case id: CaseID = "C1") throws {
        try apply(CaseRegistered(programmeID: "canada-gta-pilot", travellers: [.init(travellerID: TravellerID("\(id.rawValue)-T1"), familyRole: .principal,
                                                                                     travelDocumentStatus: .valid)],
                                 returnCountry: "CO"), case: id, at: Self.confirmedAt)
        try apply(EligibilityDecided(eligible: true, assistance: AssistanceGrant(tier: .full, budget: Self.budget)), case: id, at: Self.confirmedAt)
    }

    func expected() throws -> [CaseLine] {
        try store.read { db in try ReintegrationRepository.list("expected", country: nil, now: Self.now, nearlySpent: 0.9, visitEvery: 90 * 86_400, in: db) }
            .map(\.line)
    }

    func reception(_ needs: [ReceptionNeed], note: String? = nil, case id: CaseID = "C1") throws {
        try write { db in try workflow.recordReception(id, ReceptionInput(needs: needs, note: note, recordedBy: "ro-1"), in: db) }
    }

    @Test func aConfirmedBookingMakesTheCaseExpectedWithItsArrival() throws {
        try eligible()
        try apply(confirmed("B1"), at: Self.confirmedAt)
        let shown = try view()
        #expect(shown.status == "expected")
        #expect(shown.expectedArrival == ExpectedArrival(bookingID: "B1", arrivalAt: Self.landing, arrivalAirport: "MDE", flightNumber: "AV205"))
        #expect(shown.openedAt == nil && shown.arrivedAt == nil)
        #expect(try expected().map(\.caseID) == ["C1"])
        #expect(try expected().first?.expectedArrival?.flightNumber == "AV205")
        // The same confirmation again (a new delivery) changes nothing.
        try apply(confirmed("B1"), at: Self.confirmedAt)
        #expect(try view().expectedArrival?.bookingID == "B1")
        #expect(try events().isEmpty, "expecting publishes nothing")
    }

    @Test func aRebookingMovesTheExpectedArrival() throws {
        try eligible()
        try apply(confirmed("B1"), at: Self.confirmedAt)
        let later = Self.landing.addingTimeInterval(2 * 86_400)
        try apply(confirmed("B2", arriving: later, flight: "AV207"), at: Self.confirmedAt.addingTimeInterval(3_600))
        #expect(try view().expectedArrival == ExpectedArrival(bookingID: "B2", arrivalAt: later, arrivalAirport: "MDE", flightNumber: "AV207"))
        // The old booking's cancellation, after the new confirmation, leaves the new one expected.
        try apply(BookingCancelled(bookingID: "B1", reason: .rebooked), at: Self.confirmedAt.addingTimeInterval(7_200))
        #expect(try view().status == "expected")
        #expect(try view().expectedArrival?.bookingID == "B2")
    }

    @Test func aCancellationOfTheBookingExpectedWithdrawsTheExpectation() throws {
        try eligible()
        try apply(confirmed("B1"), at: Self.confirmedAt)
        try apply(BookingCancelled(bookingID: "B9", reason: .operational), at: Self.confirmedAt)
        #expect(try view().status == "expected", "another booking's cancellation")
        try apply(BookingCancelled(bookingID: "B1", reason: .operational), at: Self.confirmedAt)
        #expect(try view().status == "pending")
        #expect(try view().expectedArrival == nil)
        #expect(try expected().isEmpty)
    }

    /// A held booking does not fly as booked (travel rebooks or cancels it): the partner
    /// must not prepare for its arrival.
    @Test func aHoldOnTheBookingExpectedWithdrawsTheExpectationUntilTheRebooking() throws {
        try eligible()
        try apply(confirmed("B1"), at: Self.confirmedAt)
        try apply(BookingOnHold(bookingID: "B1", reason: .noShow, travellerIDs: ["C1-T1"]), at: Self.confirmedAt.addingTimeInterval(3_600))
        #expect(try view().status == "pending")
        #expect(try view().expectedArrival == nil)
        try apply(BookingCancelled(bookingID: "B1", reason: .rebooked), at: Self.confirmedAt.addingTimeInterval(5_400))
        try apply(confirmed("B2", flight: "AV207"), at: Self.confirmedAt.addingTimeInterval(7_200))
        #expect(try view().expectedArrival?.bookingID == "B2")
        try apply(confirmed("B1"), at: Self.confirmedAt.addingTimeInterval(7_200))
        #expect(try view().expectedArrival?.bookingID == "B2", "the held booking's confirmation, out of date, changes nothing")
    }

    @Test func cancelledAsRebookedThenConfirmedExpectsTheNewBooking() throws {
        try eligible()
        try apply(confirmed("B1"), at: Self.confirmedAt)
        // Travel cancels the held booking as it proposes the new one, then confirms that.
        try apply(BookingCancelled(bookingID: "B1", reason: .rebooked), at: Self.confirmedAt.addingTimeInterval(3_600))
        #expect(try view().status == "pending")
        try apply(confirmed("B2", flight: "AV207"), at: Self.confirmedAt.addingTimeInterval(7_200))
        #expect(try view().status == "expected")
        #expect(try view().expectedArrival?.bookingID == "B2")
        // An out-of-date confirmation of the cancelled booking changes nothing.
        try apply(confirmed("B1"), at: Self.confirmedAt.addingTimeInterval(7_200))
        #expect(try view().expectedArrival?.bookingID == "B2")
    }

    @Test func aConfirmationOfABookingAlreadyCancelledChangesNothing() throws {
        try eligible()
        try apply(BookingCancelled(bookingID: "B1", reason: .operational), at: Self.confirmedAt)
        try apply(confirmed("B1"), at: Self.confirmedAt)
        #expect(try view().status == "pending")
        #expect(try view().expectedArrival == nil)
    }

    @Test func theArrivalOpensTheCaseKeepingTheReceptionNeeds() throws {
        try eligible()
        try apply(confirmed("B1"), at: Self.confirmedAt)
        try reception([.escort, .airportPickup, .escort], note: "meet at the arrivals exit")
        #expect(try view().reception?.needs == [.airportPickup, .escort], "each need once, in the set's order")
        try apply(Arrived(bookingID: "B1", arrivedAt: Self.arrived, arrivalAirport: "MDE", returnCountry: "CO", travellerIDs: ["C1-T1"]))
        let opened = try view()
        #expect(opened.status == "open")
        #expect(opened.expectedArrival == nil)
        #expect(opened.reception?.needs == [.airportPickup, .escort])
        #expect(opened.reception?.note == "meet at the arrivals exit")
        #expect(opened.reception?.recordedBy == "ro-1")
        #expect(try expected().isEmpty)
        #expect(try events().compactMap { $0.payload(as: ReintegrationOpened.self) }.count == 1)
        // Reception is still recorded on the open case; a blank note is none.
        try reception([.temporaryAccommodation], note: "  ")
        #expect(try view().reception?.needs == [.temporaryAccommodation])
        #expect(try view().reception?.note == nil)
    }

    @Test func withdrawalOrRevocationEndsTheExpectationAndALaterConfirmationChangesNothing() throws {
        try eligible()
        try apply(confirmed("B1"), at: Self.confirmedAt)
        try apply(CaseWithdrawn(), at: Self.confirmedAt)
        #expect(try view().status == "pending")
        #expect(try view().expectedArrival == nil)
        try apply(confirmed("B2"), at: Self.confirmedAt.addingTimeInterval(3_600))
        #expect(try view().status == "pending", "a confirmation after the withdrawal")
        #expect(try view().expectedArrival == nil)
        expectProblem("case-not-expected", status: 409) { db in try workflow.recordReception("C1", ReceptionInput(needs: [.escort], recordedBy: "ro-1"), in: db) }

        try eligible(case: "C2")
        try apply(confirmed("B3"), case: "C2", at: Self.confirmedAt)
        try apply(EligibilityRevoked(), case: "C2", at: Self.confirmedAt)
        #expect(try store.read { db in try ReintegrationRepository.view("C2", in: db)?.status } == "pending")
        #expect(try expected().isEmpty)
    }

    @Test func receptionNeedsAreRecordedOnAnExpectedOrOpenCaseOnly() throws {
        expectProblem("unknown-case", status: 404) { db in try workflow.recordReception("C1", ReceptionInput(needs: [], recordedBy: "ro-1"), in: db) }
        try eligible()
        do {
            try reception([.airportPickup])
            Issue.record("accepted on a pending case")
        } catch let refusal as ReintegrationRefusal {
            #expect(refusal == .caseNotExpected(.pending))
            #expect(refusal.problem.rule == "case-not-expected" && refusal.problem.statusCode == 409)
            #expect(refusal.problem.detail == "reception needs are recorded on an expected or open case; this one is pending")
        }
        #expect(try view().reception == nil, "nothing written")
        // An unknown need does not decode: its index in the body, and the needs allowed.
        do {
            _ = try JSONDecoder().decode(ReceptionInput.self, from: Data(#"{"needs": ["escort", "helicopter"]}"#.utf8))
            Issue.record("an unknown need decoded")
        } catch DecodingError.dataCorrupted(let context) {
            #expect(context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue } == ["needs", "1"])
            #expect(context.debugDescription == "one of: airport-pickup, escort, temporary-accommodation")
        }
    }

    @Test func theReceptionNoteIsSealedAtRestAndErasedWithThePersonalData() throws {
        let sealed = try Store(path: try makeWorkDirectory("reint-sealed").appendingPathComponent("r.sqlite").path,
                               cipher: try FieldCipher(keys: [("k1", Data(repeating: 7, count: 32))], active: "k1", service: "reintegration"), migrations: ReintegrationSchema.register)
        let handlers = ReintegrationService.handlers(workflow)
        func deliver(_ payload: any EventPayload) throws {
            let event = ReceivedEvent(id: EventID(), type: type(of: payload).eventType, caseID: "C1", time: Self.confirmedAt, correlationID: EventID(),
                                      causationID: nil, traceparent: nil, payload: payload)
            try sealed.write { db in try handlers.apply(event, in: db) }
        }
        func shown() throws -> ReceptionView? { try sealed.read { db in try ReintegrationRepository.view("C1", in: db)?.reception } }
        try deliver(confirmed("B1"))
        let note = "call the principal's sister on arrival"
        try sealed.write { db in try workflow.recordReception("C1", ReceptionInput(needs: [.airportPickup], note: note, recordedBy: "ro-1"), in: db) }
        let stored = try sealed.read { db in try String.fetchOne(db, sql: "SELECT note FROM reint_reception") }
        #expect(stored?.contains("v2.k1.") == true && stored?.contains("sister") == false, "sealed at rest")
        #expect(try shown()?.note == note)
        try deliver(PersonalDataErased(reason: .request))
        #expect(try shown()?.note == nil)
        #expect(try shown()?.needs == [.airportPickup], "the needs stay")
        #expect(try sealed.read { db in try String.fetchOne(db, sql: "SELECT note FROM reint_reception") } == "")
    }
}
