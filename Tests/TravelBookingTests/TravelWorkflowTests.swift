import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore
import TestSupport
@testable import TravelBooking
import Testing
import TravelBookingAPI

@Suite("Travel booking workflow")
struct TravelWorkflowTests {
    let store: Store
    var clock = TravelFixtures.now

    init() throws {
        store = try TravelFixtures.makeStore()
        for payload in TravelFixtures.registration { try apply(payload) }
    }

    var workflow: TravelWorkflow { workflow(at: clock) }

    func workflow(at now: Date) -> TravelWorkflow {
        TravelWorkflow(minimumConnection: .seconds(3600), clock: { now })
    }

    func apply(_ payload: any EventPayload, case id: CaseID = "C1", at time: Date = TravelFixtures.now) throws {
        let handlers = TravelBookingService.handlers(workflow)
        try store.write { db in try handlers.apply(.received(payload, case: id, at: time), in: db) }
    }

    func clearAll(requirements: [TravelRequirement] = [.wheelchair]) throws {
        try apply(TravelFixtures.clearance("C1-T1"))
        try apply(TravelFixtures.clearance("C1-T2", requirements: requirements))
        try apply(TravelFixtures.clearance("C1-T3"))
    }

    func propose(_ request: BookingRequest = TravelFixtures.booking()) throws -> BookingID {
        let workflow = self.workflow
        return try store.write { db in try workflow.propose("C1", request, in: db) }
    }

    func confirm(_ id: BookingID) throws {
        let workflow = self.workflow
        try store.write { db in try workflow.confirm(id, ConfirmationInput(recordedBy: "mo"), in: db) }
    }

    func updateDocument(_ traveller: TravellerID, _ status: TravelDocumentStatus) throws {
        let workflow = self.workflow
        try store.write { db in try workflow.updateDocument("C1", traveller, DocumentUpdate(travelDocumentStatus: status, recordedBy: "mo"), in: db) }
    }

    /// Everyone cleared, the child's applied-for document now valid: proposed and confirmed.
    func confirmedBooking() throws -> BookingID {
        try clearAll()
        try updateDocument("C1-T3", .valid)
        let id = try propose()
        try confirm(id)
        return id
    }

    func expectProblem(_ rule: String, field: String? = nil, _ body: () throws -> Void) {
        guard let problem = refusal(expecting: rule, body) else { return }
        #expect(problem.rule == rule, "\(problem.detail ?? "")")
        if let field { #expect(problem.field == field) }
    }

    func readiness() throws -> Readiness {
        try store.read { db in try TravelRepository.readiness("C1", at: TravelFixtures.now, in: db) }
    }

    /// The bookable list pages in its order (soonest target first, cases without one last),
    /// leaving out a case that cannot be booked, with no gap or repeat across pages.
    @Test func theBookableListPagesInOrder() throws {
        let targets: [String?] = ["2026-07-20", nil, "2026-07-05", "2026-07-05", nil, "2026-08-01", "2026-07-10"]
        for (n, target) in targets.enumerated() {
            let id = CaseID("P\(n)"), traveller = TravellerID("P\(n)-T1")
            let events: [any EventPayload] = [
                CaseRegistered(programmeID: "generic-avrr", travellers: [.init(travellerID: traveller, familyRole: .principal, travelDocumentStatus: .valid)],
                               returnCountry: "CO", returnCity: nil),
                EligibilityDecided(eligible: true, reasons: [], assistance: AssistanceGrant(tier: .full, budget: Money(amountMinor: 1_000, currency: "EUR")),
                                   targetDepartureBy: target.map { Instant.parse("\($0)T23:59:59.999Z")! }),
                ReadyForScreening(travellers: [.init(travellerID: traveller, ageYears: 30, sex: .male)]),
            ] + (n == 3 ? [] : [TravelFixtures.clearance(traveller)])  // P3 is not cleared: not bookable
            for payload in events { try apply(payload, case: id) }
        }
        var seen: [String] = []
        var paging = PageRequest(limit: 2)
        while true {
            let request = paging
            let lines = try store.read { db in try TravelRepository.workList(.bookable, returnCountry: "CO", at: TravelFixtures.now, page: request, in: db) }
            let page = request.page(of: lines, key: \.key)
            #expect(page.items.count <= 2)
            seen += page.items.map(\.line.caseID.rawValue)
            guard let next = page.next else { break }
            let key: PageKey? = PageKey(cursor: next)
            #expect(key != nil, "a cursor the list gave reads back")
            paging.after = key
            if key == nil { break }
        }
        #expect(seen == ["P2", "P6", "P0", "P5", "P1", "P4"], "C1 has no clearance, P3 neither")
    }

    @Test func aCaseIsBookableOnlyWhenEveryTravellerIsClearedAndSaysWhyNot() throws {
        #expect(try readiness().reasons == ["C1-T1: not cleared to travel yet", "C1-T2: not cleared to travel yet", "C1-T3: not cleared to travel yet"])
        expectProblem("not-bookable") { _ = try propose() }
        try clearAll()
        #expect(try readiness().bookable)
    }

    @Test func theFamilyTravelsTogetherOnOneItinerary() throws {
        try clearAll()
        expectProblem("family-split") { _ = try propose(TravelFixtures.booking(travellers: ["C1-T1", "C1-T2"])) }
        expectProblem("unknown-traveller") { _ = try propose(TravelFixtures.booking(travellers: ["C1-T1", "C1-T2", "C1-T3", "C9-T1"])) }
        expectProblem("family-split") { _ = try propose(TravelFixtures.booking(travellers: ["C1-T1", "C1-T2", "C1-T2"])) }
        let id = try propose()
        let booking = try store.read { db in try TravelRepository.booking(id, in: db)! }
        #expect(booking.travellerIDs == TravelFixtures.travellers)
        #expect(booking.items?.map(\.code) == ["WCHR"], "the wheelchair requirement became a service item")
    }

    @Test func connectionsAreCheckedAcrossTimeZones() throws {
        try clearAll()
        expectProblem("connection-too-short") { _ = try propose(TravelFixtures.booking(connectionMinutes: 59)) }
        _ = try propose(TravelFixtures.booking(connectionMinutes: 60))
    }

    @Test func deporteeCodingIsRefusedAnywhere() throws {
        try clearAll()
        for remark in ["DEPA", "pax is inad", "escorted DEPU"] {
            expectProblem("deportee-coding") { _ = try propose(TravelFixtures.booking(remarks: remark)) }
        }
        _ = try propose(TravelFixtures.booking(remarks: "assist at departure gate"))
    }

    @Test func departureMustFallInsideEveryClearanceAndByTheTargetDate() throws {
        try apply(TravelFixtures.clearance("C1-T1"))
        try apply(TravelFixtures.clearance("C1-T2", until: "2026-06-30T23:59:59.999Z"))
        try apply(TravelFixtures.clearance("C1-T3"))
        expectProblem("outside-clearance-window") { _ = try propose() }
        try apply(TravelFixtures.clearance("C1-T2"))

        var late = TravelFixtures.booking()
        late.segments = late.segments.map { s in
            var s = s
            s.departsLocal = s.departsLocal.replacingOccurrences(of: "2026-07-01", with: "2026-07-20")
            s.arrivesLocal = s.arrivesLocal.replacingOccurrences(of: "2026-07-01", with: "2026-07-20")
            return s
        }
        expectProblem("after-target-date") { _ = try propose(late) }
        late.lateDepartureReason = "no seats before 20 July"
        _ = try propose(late)
    }

    @Test func confirmationNeedsValidDocumentsAndDepartureAPassedCheck() throws {
        try clearAll()
        let id = try propose()
        let workflow = self.workflow
        expectProblem("travel-document-invalid") { try confirm(id) }
        try updateDocument("C1-T3", .valid)
        try confirm(id)
        #expect(try store.unpublishedEvents(of: .travelBooking).last?.payload(as: BookingConfirmed.self)?.arrivalAirport == "BOG")

        let all = DepartureInput(boarded: TravelFixtures.travellers, recordedBy: "mo")
        expectProblem("pre-embarkation-check-missing") { try store.write { db in try workflow.depart(id, all, in: db) } }
        for t in TravelFixtures.travellers {
            try apply(PreEmbarkationCheckDone(travellerID: t, bookingID: id, outcome: .cleared, travelRequirements: [], holdUntil: nil))
        }
        // The schedule: 07:30 Toronto (11:30 UTC) to 18:10 Bogotá (23:10 UTC), 11 h 40 min.
        expectProblem("departure-outside-schedule") { try store.write { db in try workflow.depart(id, all, in: db) } }
        let scheduled = Instant.parse("2026-07-01T11:30:00Z")!
        let early = DepartureInput(boarded: TravelFixtures.travellers, departedAt: scheduled.addingTimeInterval(-3 * 3_600), recordedBy: "mo")
        expectProblem("departure-outside-schedule", field: "/departedAt") { try store.write { db in try self.workflow(at: scheduled).depart(id, early, in: db) } }
        let delayed = self.workflow(at: scheduled.addingTimeInterval(1_800))
        try store.write { db in try delayed.depart(id, all, in: db) }
        expectProblem("already-departed") { try store.write { db in try delayed.depart(id, all, in: db) } }
        let soon = ArrivalInput(arrivedAt: scheduled.addingTimeInterval(3_600), recordedBy: "mo")
        expectProblem("arrival-outside-schedule", field: "/arrivedAt") {
            try store.write { db in try self.workflow(at: scheduled.addingTimeInterval(4 * 3_600)).arrive(id, soon, in: db) }
        }
        // Half an hour late out, so due at 23:40 UTC; landing at 23:20 is fine.
        let landed = self.workflow(at: Instant.parse("2026-07-01T23:20:00Z")!)
        try store.write { db in try landed.arrive(id, ArrivalInput(arrivedAt: nil, recordedBy: "mo"), in: db) }
        let arrived = try #require(try store.unpublishedEvents(of: .travelBooking).last?.payload(as: Arrived.self))
        #expect(arrived.returnCountry == "CO" && arrived.arrivalAirport == "BOG" && arrived.travellerIDs == TravelFixtures.travellers)
        // The family is home: the case is never bookable again.
        #expect(try readiness().reasons.contains("the family has already arrived"))
        expectProblem("not-bookable") { _ = try propose() }
    }

    @Test func aNoShowKeepsTheFamilyTogether() throws {
        let id = try confirmedBooking()
        let workflow = self.workflow
        let partial = DepartureInput(boarded: ["C1-T1", "C1-T2"], noShows: ["C1-T3"], noShowAction: .rebook, recordedBy: "mo")
        try store.write { db in try workflow.depart(id, partial, in: db) }
        #expect(try store.read { db in try TravelRepository.booking(id, in: db)!.status } == "on-hold")
        #expect(!(try store.unpublishedEvents(of: .travelBooking)).contains { $0.type.name == "travel-booking.departed" }, "nobody departed")
        let rebooked = try propose()
        #expect(try store.read { db in try TravelRepository.booking(rebooked, in: db)!.rebookingOf } == id)
        #expect(try store.read { db in try TravelRepository.booking(id, in: db)!.status } == "cancelled")
    }

    @Test func aLapseHoldsTheBookingAndANewClearanceLetsItBeRebooked() throws {
        try clearAll()
        let id = try propose()
        try apply(ClearanceLapsed(travellerID: "C1-T2", validUntil: TravelFixtures.now))
        let hold = try #require(try store.unpublishedEvents(of: .travelBooking).last?.payload(as: BookingOnHold.self))
        #expect(hold.reason == .clearanceLapsed && hold.bookingID == id)
        #expect(!(try readiness().bookable))
        expectProblem("not-bookable") { _ = try propose() }
        try apply(TravelFixtures.clearance("C1-T2", requirements: [.wheelchair]))
        let rebooked = try propose()
        let proposed = try #require(try store.unpublishedEvents(of: .travelBooking).last?.payload(as: BookingProposed.self))
        #expect(proposed.bookingID == rebooked && proposed.rebookingOf == id)
    }

    @Test func withdrawalCancelsTheBooking() throws {
        try clearAll()
        let id = try propose()
        try apply(CaseWithdrawn())
        #expect(try store.unpublishedEvents(of: .travelBooking).last?.payload(as: BookingCancelled.self) == BookingCancelled(bookingID: id, reason: .caseWithdrawn))
        expectProblem("booking-cancelled") { try confirm(id) }
    }
}

extension TravelWorkflowTests {
    @Test func oneHandlerPerConsumedEventTypeAndNoOther() throws {
        let handled = TravelBookingService.handlers(workflow).handledEvents.map { $0.eventType.name }
        #expect(handled == ServiceName.travelBooking.consumes.map { $0.eventType.name })
        #expect(throws: EventRejected.self) { try apply(ScreeningOpened(travellerID: "C1-T1", kind: .rescreen)) }
    }

    /// Health's events may overtake intake's: nothing orders two topics.
    @Test func aClearanceBeforeTheRegistrationIsKeptNotRefused() throws {
        let store = try TravelFixtures.makeStore()
        let handlers = TravelBookingService.handlers(workflow)
        func apply(_ payload: any EventPayload) throws {
            try store.write { db in try handlers.apply(.received(payload, case: "C2", at: TravelFixtures.now), in: db) }
        }
        try apply(TravelFixtures.clearance("C2-T1"))
        #expect(try store.read { db in try TravelRepository.readiness("C2", at: TravelFixtures.now, in: db) }.reasons.first
                == "the registration has not reached travel booking yet")
        try apply(CaseRegistered(programmeID: "p", travellers: [.init(travellerID: "C2-T1", familyRole: .principal, travelDocumentStatus: .valid)],
                                 returnCountry: "CO"))
        try apply(EligibilityDecided(eligible: true))
        try apply(ReadyForScreening(travellers: [.init(travellerID: "C2-T1", ageYears: 30, sex: .male)]))
        #expect(try store.read { db in try TravelRepository.readiness("C2", at: TravelFixtures.now, in: db) }.bookable)
        #expect(try store.read { db in try TravelRepository.travellers("C2", in: db) }.map(\.familyRole) == [.principal])
    }
}

extension TravelWorkflowTests {
    @Test func aDocumentThatStopsBeingValidHoldsTheConfirmedBooking() throws {
        _ = try confirmedBooking()
        try updateDocument("C1-T1", .expired)
        let hold = try #require(try store.unpublishedEvents(of: .travelBooking).last?.payload(as: BookingOnHold.self))
        #expect(hold.reason == .travelDocumentInvalid && hold.travellerIDs == ["C1-T1"])
    }

    @Test func officersCancelOnlyForTheirOwnReasons() throws {
        try clearAll()
        let id = try propose()
        let workflow = self.workflow
        expectProblem("reason-not-allowed") {
            try store.write { db in try workflow.cancel(id, CancellationInput(reason: .rebooked, recordedBy: "mo"), in: db) }
        }
        try store.write { db in try workflow.cancel(id, CancellationInput(reason: .operational, recordedBy: "mo"), in: db) }
        #expect(try store.unpublishedEvents(of: .travelBooking).last?.payload(as: BookingCancelled.self)?.reason == .operational)
    }
}
