import Foundation
import GRDB
import EventExamples
import HomewardModel
import HomewardRuntime
import HomewardStore
@testable import Intake
import TestSupport
import Testing
import IntakeAPI

@Suite("Intake workflow")
struct IntakeWorkflowTests {
    let store: Store
    let workflow = IntakeFixtures.workflow()

    init() throws { store = try IntakeFixtures.makeStore() }

    func register(_ referral: ReferralRequest = IntakeFixtures.referral(), key: String? = nil) throws -> CaseID {
        try store.write { db in try workflow.register(referral, idempotencyKey: key, in: db) }
    }

    func view(_ id: CaseID) throws -> CaseView { try store.read { db in try CaseRepository.view(id, in: db)! } }

    @Test func aFamilyBecomesReadyForScreeningOnceEligibleWithConsentAndDeclaration() throws {
        let id = try register()
        var view = try view(id)
        #expect(view.status == .active)
        #expect(view.eligibility?.eligible == true)
        #expect(view.eligibility?.assistance == AssistanceGrant(tier: .full, budget: Money(amountMinor: 200_000, currency: "CAD")))
        #expect(view.travellers.map(\.familyRole) == [.principal, .child])
        #expect(view.readyForScreeningAt == nil, "no declaration yet")

        try store.write { db in try IntakeFixtures.declare(id, with: workflow, in: db) }
        view = try self.view(id)
        #expect(view.readyForScreeningAt != nil)
        #expect(view.stage == .screening)
        try store.write { db in try workflow.reassess(id, in: db) }

        let events = try store.unpublishedEvents(of: .intake)
        let types = events.map(\.type.name)
        #expect(types == ["intake.case-registered", "intake.consent-changed", "intake.eligibility-decided",
                          "intake.ready-for-screening", "intake.orientation-required", "intake.eligibility-decided"])
        #expect(events.filter { $0.type.name == "intake.ready-for-screening" }.count == 1, "announced once")
        // The pilot orients travellers 12 and older before departure: the mother, not the child of 2.
        #expect(events[4].payload(as: OrientationRequired.self) == OrientationRequired(travellerIDs: [TravellerID("\(id)-T1")]))
        let ready = try #require(events[3].payload(as: ReadyForScreening.self))
        #expect(ready.travellers.map(\.ageYears) == [28, 2])
        #expect(ready.travellers.map(\.sex) == [.female, .male])
        #expect(Set(events.prefix(3).map(\.correlationID)).count == 1, "one registration, one correlation id")
        #expect(view.timeline.map(\.step) == ["registered", "consent-changed", "eligibility-decided", "counselling", "declaration-recorded",
                                              "ready-for-screening"])
    }

    @Test("a case's view, as GET /cases/{id} answers it, encodes byte for byte as JSONEncoder")
    func caseViewEncodesAsJSONEncoder() throws {
        let id = try register()
        JSONOracle.expectSameBytes(try view(id), "registered")
        try store.write { db in try IntakeFixtures.declare(id, with: workflow, in: db) }
        JSONOracle.expectSameBytes(try view(id), "declared")
        try store.write { db in try workflow.withdraw(id, WithdrawalInput(recordedBy: "cw"), in: db) }
        JSONOracle.expectSameBytes(try view(id), "withdrawn")
    }

    @Test func eventsCarryNoNamesOrDatesOfBirth() throws {
        _ = try register()
        let text = try store.unpublishedText()
        for personal in ["Maria", "Mateo", "Lopez", "1985-04-12", "2011-06-01", "Toronto"] {
            #expect(!text.contains(personal), "\(personal) travelled in an event")
        }
    }

    @Test func aLateFirstContactIsFlaggedNotRefused() throws {
        var referral = IntakeFixtures.referral()
        referral.firstContactAt = referral.referredAt.addingTimeInterval(24 * 3600 + 1)
        let view = try view(try register(referral))
        #expect(view.eligibility?.eligible == true)
        #expect(view.eligibility?.flags == [.lateContact])
        #expect(view.timeline.contains { $0.outcome.contains("late-contact") })
    }

    @Test func anAbandonedClaimIsNotEligibleWithTheReasonAndNothingDownstream() throws {
        var referral = IntakeFixtures.referral()
        referral.immigration.claimWithdrawnOrAbandoned = true
        let id = try register(referral)
        try store.write { db in try IntakeFixtures.declare(id, with: workflow, in: db) }
        let view = try view(id)
        #expect(view.status == .notEligible)
        #expect(view.eligibility?.reasons.first { !$0.passed }?.rule == "claim-not-withdrawn-or-abandoned")
        let decided = try store.unpublishedEvents(of: .intake).compactMap { $0.payload(as: EligibilityDecided.self) }
        #expect(decided.last?.reasons == [.claimNotWithdrawnOrAbandoned])
        #expect(!(try store.unpublishedEvents(of: .intake)).contains { $0.type.name == "intake.ready-for-screening" })
    }

    @Test func aDesignatedCountryClaimantGetsTheLowerTier() throws {
        var referral = IntakeFixtures.referral()
        referral.immigration.designatedCountryOfOrigin = true
        let view = try view(try register(referral))
        #expect(view.eligibility?.assistance == AssistanceGrant(tier: .designatedCountryOfOrigin, budget: Money(amountMinor: 50_000, currency: "CAD")))
    }

    @Test func repeatingARegistrationWithItsKeyReturnsTheFirstCase() throws {
        let first = try register(key: "k-1")
        let again = try register(key: "k-1")
        #expect(first == again)
        #expect(try IntakeFixtures.count("intake_case", store) == 1)
        var other = IntakeFixtures.referral()
        other.returnCity = "Cali"
        #expect(throws: IntakeRefusal.self) { try register(other, key: "k-1") }
    }

    @Test func withdrawalCancelsAndIsRefusedAfterDeparture() throws {
        let id = try register()
        try store.write { db in try workflow.withdraw(id, WithdrawalInput(recordedBy: "cw"), in: db) }
        #expect(try view(id).status == .withdrawn)
        #expect(try store.unpublishedEvents(of: .intake).last?.type.name == "intake.case-withdrawn")
        // Consent can still be withdrawn on a withdrawn case; it cannot be given.
        try store.write { db in try workflow.recordConsent(id, ConsentInput(purpose: .processing, granted: false, recordedBy: "cw"), in: db) }
        #expect(throws: IntakeRefusal.self) {
            try store.write { db in try workflow.recordConsent(id, ConsentInput(purpose: .processing, granted: true, recordedBy: "cw"), in: db) }
        }

        let departed = try register()
        try store.write { db in
            try IntakeService.handlers.apply(received(Departed(bookingID: "b-1", departedAt: IntakeFixtures.now, travellerIDs: [TravellerID("\(departed)-T1")], noShowTravellerIDs: []), case: departed), in: db)
        }
        do {
            try store.write { db in try workflow.withdraw(departed, WithdrawalInput(recordedBy: "cw"), in: db) }
            Issue.record("withdrawn after departure")
        } catch let refusal as IntakeRefusal {
            let problem = refusal.problem
            #expect(problem.rule == "withdrawal-after-departure")
            #expect(problem.statusCode == 409)
        }
        #expect(try view(departed).status == .active)
        #expect(try view(departed).stage == .departed)
    }

    /// Travel's and reintegration's topics are not ordered against each other: a departure
    /// applied after the reintegration case opened, or after it closed, moves no stage back.
    @Test func theStageOnlyMovesForwardWhateverOrderTheTopicsArriveIn() throws {
        let id = try register()
        let departed = Departed(bookingID: "b-1", departedAt: IntakeFixtures.now, travellerIDs: [TravellerID("\(id)-T1")], noShowTravellerIDs: [])
        try store.write { db in
            try IntakeService.handlers.apply(received(ReintegrationOpened(budget: Money(amountMinor: 150_000, currency: "CAD")), case: id), in: db)
            try IntakeService.handlers.apply(received(departed, case: id), in: db)
        }
        #expect(try view(id).stage == .reintegration)
        try store.write { db in
            try IntakeService.handlers.apply(received(ReintegrationClosed(outcome: .completed, totalDisbursed: Money(amountMinor: 0, currency: "CAD")), case: id), in: db)
            try IntakeService.handlers.apply(received(BookingConfirmed(bookingID: "b-2", travellerIDs: [TravellerID("\(id)-T1")], departureAt: IntakeFixtures.now,
                                                                   arrivalAt: IntakeFixtures.now, arrivalAirport: "BOG", arrivalFlightNumber: "AV1"), case: id), in: db)
        }
        #expect(try view(id).stage == .closed)
        #expect(try view(id).status == .closed)
    }

    @Test func revocationCancelsAtAnyStage() throws {
        let id = try register()
        try store.write { db in try workflow.revoke(id, RevocationInput(recordedBy: "cw", authority: "CBSA"), in: db) }
        #expect(try view(id).status == .revoked)
        #expect(try store.unpublishedEvents(of: .intake).last?.type.name == "intake.eligibility-revoked")
        #expect(throws: IntakeRefusal.self) { try store.write { db in try workflow.withdraw(id, WithdrawalInput(recordedBy: "cw"), in: db) } }
    }

    @Test func theTimelineFollowsEveryOtherServicesEvent() throws {
        let id = try register()
        let before = try view(id).timeline.count
        var applied = 0
        try store.write { db in
            for type in IntakeService.handlers.handledEvents {
                for example in type.catalogueExamples {
                    try IntakeService.handlers.apply(received(example, case: id), in: db)
                    applied += 1
                }
            }
        }
        let view = try view(id)
        #expect(view.timeline.count == before + applied)
        #expect(Set(view.timeline.map(\.actor)) == ["intake", "health-screening", "travel-booking", "reintegration"])
        #expect(view.status == .closed)
        #expect(view.stage == .closed)
    }

    @Test func oneHandlerPerConsumedEventTypeAndNoOther() throws {
        #expect(IntakeService.handlers.handledEvents.map { $0.eventType.name } == ServiceName.intake.consumes.map { $0.eventType.name })
        let id = try register()
        #expect(throws: EventRejected.self) { try store.write { db in try IntakeService.handlers.apply(received(CaseWithdrawn(), case: id), in: db) } }
    }

    @Test func anEventForAnUnknownCaseIsRejected() throws {
        #expect(throws: EventRejected.self) {
            try store.write { db in try IntakeService.handlers.apply(received(CaseWithdrawn(), case: "nobody"), in: db) }
        }
    }

    func received<P: EventPayload>(_ payload: P, case id: CaseID) -> ReceivedEvent {
        .received(payload, case: id, at: IntakeFixtures.now)
    }
}
