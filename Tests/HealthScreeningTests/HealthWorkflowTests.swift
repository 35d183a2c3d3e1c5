import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore
@testable import HealthScreening
import TestSupport
import Testing
import HealthScreeningAPI

@Suite("Health screening workflow")
struct HealthWorkflowTests {
    let store: Store
    var clock = HealthFixtures.now

    init() throws {
        store = try HealthFixtures.makeStore()
        try apply(HealthFixtures.family)
    }

    var workflow: HealthWorkflow {
        let now = clock
        return HealthWorkflow(rules: HealthFixtures.rules, clock: { now })
    }

    func apply<P: EventPayload>(_ payload: P, at time: Date = HealthFixtures.now) throws {
        let handlers = HealthScreeningService.handlers(workflow)
        try store.write { db in try handlers.apply(.received(payload, case: "C1", at: time), in: db) }
    }

    func record(_ t: TravellerID) throws -> TravellerRecord { try store.read { db in try HealthRepository.record(t, in: db)! } }

    func expectProblem(_ rule: String, status: Int, _ body: (Database) throws -> Void) {
        guard let problem = refusal(expecting: rule, { try store.write(body) }) else { return }
        #expect(problem.rule == rule)
        #expect(problem.statusCode == status)
        #expect(!(problem.detail ?? "").contains("MARK-"), "no medical value in the problem")
    }

    func exam(_ t: TravellerID, on day: String = "2026-06-10", results: [String: String]) throws {
        let workflow = self.workflow
        try store.write { db in
            try workflow.recordExam(t, ExamInput(examinedOn: LocalDate(day)!, results: results, notes: "MARK-NOTE", conditions: ["MARK-COND"], recordedBy: "ho-1"), in: db)
        }
    }

    func fitness(_ t: TravellerID, _ outcome: FitnessOutcome, requirements: [TravelRequirement]? = nil, holdUntil: Date? = nil) throws {
        let workflow = self.workflow
        try store.write { db in
            try workflow.recordFitness(t, FitnessInput(outcome: outcome, travelRequirements: requirements, holdUntil: holdUntil, recordedBy: "ho-1"), in: db)
        }
    }

    @Test func screeningsOpenWithTheTestsTheirAgeRequires() throws {
        #expect(try record("C1-T1").screenings[0].requiredTests == ["chest-x-ray", "urinalysis", "hiv", "syphilis"])
        #expect(try record("C1-T2").screenings[0].requiredTests == ["chest-x-ray", "urinalysis", "hiv", "syphilis"])
        #expect(try record("C1-T3").screenings[0].requiredTests == ["chest-x-ray", "urinalysis"])
        #expect(try record("C1-T4").screenings[0].requiredTests == ["urinalysis"])
        #expect(try record("C1-T5").screenings[0].requiredTests == [])
        #expect(try store.unpublishedEvents(of: .healthScreening).compactMap { $0.payload(as: ScreeningOpened.self)?.travellerID.rawValue } == ["C1-T1", "C1-T2", "C1-T3", "C1-T4", "C1-T5"])
        try apply(HealthFixtures.family)  // redelivered: no second screening
        #expect(try record("C1-T1").screenings.count == 1)
    }

    @Test func aClearanceNeedsEveryRequiredTestAndACurrentExam() throws {
        expectProblem("exam-required", status: 422) { db in try workflow.recordFitness("C1-T1", FitnessInput(outcome: .cleared, recordedBy: "ho"), in: db) }
        var partial = HealthFixtures.fullResults
        partial["hiv"] = nil
        try exam("C1-T1", results: partial)
        expectProblem("required-test-missing", status: 422) { db in try workflow.recordFitness("C1-T1", FitnessInput(outcome: .cleared, recordedBy: "ho"), in: db) }
        try exam("C1-T1", results: HealthFixtures.fullResults)
        try fitness("C1-T1", .cleared)
        let issued = try #require(try store.unpublishedEvents(of: .healthScreening).compactMap { $0.payload(as: ClearanceIssued.self) }.first)
        #expect(issued.outcome == .cleared)
        #expect(issued.validFrom == Instant.parse("2026-06-10T00:00:00.000Z"))
        #expect(issued.validUntil == Instant.parse("2027-06-10T23:59:59.999Z"))
    }

    @Test func anExamOlderThanTheValidityWindowCannotClear() throws {
        try exam("C1-T4", on: "2025-06-14", results: ["urinalysis": "MARK-U"])
        expectProblem("exam-too-old", status: 422) { db in try workflow.recordFitness("C1-T4", FitnessInput(outcome: .cleared, recordedBy: "ho"), in: db) }
        try exam("C1-T4", on: "2025-06-15", results: ["urinalysis": "MARK-U"])
        try fitness("C1-T4", .cleared)  // valid through 2026-06-15 23:59:59.999, and it is noon that day
    }

    @Test func examRulesNameWhatIsWrong() throws {
        expectProblem("test-not-required", status: 422) { db in
            try workflow.recordExam("C1-T4", ExamInput(examinedOn: LocalDate("2026-06-10")!, results: ["hiv": "MARK-HIV"], recordedBy: "ho"), in: db)
        }
        expectProblem("exam-in-future", status: 422) { db in
            try workflow.recordExam("C1-T4", ExamInput(examinedOn: LocalDate("2026-06-16")!, results: [:], recordedBy: "ho"), in: db)
        }
        expectProblem("unknown-traveller", status: 404) { db in
            try workflow.recordExam("C9-T1", ExamInput(examinedOn: LocalDate("2026-06-10")!, results: [:], recordedBy: "ho"), in: db)
        }
        #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM health_exam") } == 0, "nothing written")
    }

    @Test func outcomesCarryExactlyTheirFields() throws {
        try exam("C1-T5", results: [:])
        expectProblem("requirements-missing", status: 422) { db in
            try workflow.recordFitness("C1-T5", FitnessInput(outcome: .clearedWithRequirements, recordedBy: "ho"), in: db)
        }
        expectProblem("requirements-not-allowed", status: 422) { db in
            try workflow.recordFitness("C1-T5", FitnessInput(outcome: .cleared, travelRequirements: [.wheelchair], recordedBy: "ho"), in: db)
        }
        expectProblem("hold-until-required", status: 422) { db in try workflow.recordFitness("C1-T5", FitnessInput(outcome: .onHold, recordedBy: "ho"), in: db) }
        expectProblem("hold-until-past", status: 422) { db in
            try workflow.recordFitness("C1-T5", FitnessInput(outcome: .onHold, holdUntil: HealthFixtures.now, recordedBy: "ho"), in: db)
        }
        try fitness("C1-T5", .clearedWithRequirements, requirements: [.wheelchair, .nonMedicalEscort])
        #expect(try store.unpublishedEvents(of: .healthScreening).compactMap { $0.payload(as: ClearanceIssued.self)?.travelRequirements }.last == [.wheelchair, .nonMedicalEscort])
    }

    @Test func aHoldBlocksClearanceUntilItEndsThenARescreenClears() throws {
        try exam("C1-T4", results: ["urinalysis": "MARK-U"])
        try fitness("C1-T4", .onHold, holdUntil: HealthFixtures.now.addingTimeInterval(7 * 86_400))
        #expect(try store.unpublishedEvents(of: .healthScreening).contains { $0.payload(as: HoldPlaced.self) != nil })
        expectProblem("clearance-contradicts-hold", status: 409) { db in
            try workflow.recordFitness("C1-T4", FitnessInput(outcome: .cleared, recordedBy: "ho"), in: db)
        }
        let onHold = try store.read { db in try HealthRepository.workList("on-hold", now: HealthFixtures.now, in: db) }
        #expect(onHold.map(\.travellerID) == ["C1-T4"])

        var later = self
        later.clock = HealthFixtures.now.addingTimeInterval(8 * 86_400)
        let laterWorkflow = later.workflow
        // The hold has ended: the screening is due again, and the exam before the hold cannot clear.
        let due = try store.read { db in try HealthRepository.workList("due", now: later.clock, in: db) }
        #expect(due.contains { $0.travellerID == "C1-T4" && $0.kind == "screening" })
        later.expectProblem("exam-before-hold", status: 422) { db in
            try laterWorkflow.recordFitness("C1-T4", FitnessInput(outcome: .cleared, recordedBy: "ho"), in: db)
        }
        try store.write { db in try laterWorkflow.rescreen("C1-T4", RescreenInput(recordedBy: "ho"), in: db) }
        try later.exam("C1-T4", on: "2026-06-22", results: ["urinalysis": "MARK-U2"])
        try later.fitness("C1-T4", .cleared)
        let kinds = try store.unpublishedEvents(of: .healthScreening).compactMap { $0.payload(as: ScreeningOpened.self) }.filter { $0.travellerID == "C1-T4" }.map(\.kind)
        #expect(kinds == [.initial, .rescreen])
    }

    @Test func thePreEmbarkationCheckMustFallInItsWindow() throws {
        try exam("C1-T5", results: [:])
        try fitness("C1-T5", .cleared)
        let departure = HealthFixtures.now.addingTimeInterval(5 * 86_400)
        try apply(BookingConfirmed(bookingID: "B1", travellerIDs: ["C1-T5"], departureAt: departure, arrivalAt: departure.addingTimeInterval(3600),
                                   arrivalAirport: "BOG", arrivalFlightNumber: "AV1"))
        func check(at: Date, _ outcome: FitnessOutcome = .cleared) throws {
            var later = self
            later.clock = max(at, HealthFixtures.now)
            let workflow = later.workflow
            try store.write { db in
                try workflow.recordPreEmbarkation("C1-T5", FitnessInput(outcome: outcome, recordedBy: "ho", checkedAt: at), in: db)
            }
        }
        let tooEarly = departure.addingTimeInterval(-72 * 3600 - 0.001)
        let tooLate = departure.addingTimeInterval(-24 * 3600 + 0.001)
        for at in [tooEarly, tooLate] {
            do {
                try check(at: at)
                Issue.record("accepted a check at \(Instant.format(at))")
            } catch let refusal as HealthRefusal {
                #expect(refusal.problem.rule == "outside-pre-embarkation-window")
            }
        }
        try check(at: departure.addingTimeInterval(-72 * 3600))
        let done = try #require(try store.unpublishedEvents(of: .healthScreening).compactMap { $0.payload(as: PreEmbarkationCheckDone.self) }.last)
        #expect(done.bookingID == "B1" && done.outcome == .cleared)
        #expect(throws: HealthRefusal.self) { try check(at: departure.addingTimeInterval(-24 * 3600)) }  // already done
    }

    @Test func aHoldAtThePreEmbarkationCheckIsAHold() throws {
        try exam("C1-T5", results: [:])
        try fitness("C1-T5", .cleared)
        let departure = HealthFixtures.now.addingTimeInterval(48 * 3600)
        try apply(BookingConfirmed(bookingID: "B1", travellerIDs: ["C1-T5"], departureAt: departure, arrivalAt: departure,
                                   arrivalAirport: "BOG", arrivalFlightNumber: "AV1"))
        let until = HealthFixtures.now.addingTimeInterval(5 * 86_400)
        try store.write { db in
            try workflow.recordPreEmbarkation("C1-T5", FitnessInput(outcome: .onHold, holdUntil: until, recordedBy: "ho"), in: db)
        }
        #expect(try record("C1-T5").preEmbarkationChecks.last?.holdUntil == until)
        let onHold = try store.read { db in try HealthRepository.workList("on-hold", now: HealthFixtures.now, in: db) }
        #expect(onHold.map(\.travellerID) == ["C1-T5"])
        expectProblem("clearance-contradicts-hold", status: 409) { db in
            try workflow.recordFitness("C1-T5", FitnessInput(outcome: .cleared, recordedBy: "ho"), in: db)
        }
    }

    @Test func aBookingPastTheClearanceAndTimeItselfLapseTheClearanceOnce() throws {
        try exam("C1-T5", on: "2025-06-16", results: [:])
        try fitness("C1-T5", .cleared)  // valid through 2026-06-16
        let departure = Instant.parse("2026-06-20T10:00:00.000Z")!
        try apply(BookingConfirmed(bookingID: "B1", travellerIDs: ["C1-T5"], departureAt: departure, arrivalAt: departure,
                                   arrivalAirport: "BOG", arrivalFlightNumber: "AV1"))
        var lapses = try store.unpublishedEvents(of: .healthScreening).compactMap { $0.payload(as: ClearanceLapsed.self) }
        #expect(lapses.map(\.travellerID) == ["C1-T5"])
        #expect(lapses.first?.validUntil == Instant.parse("2026-06-16T23:59:59.999Z"))

        try exam("C1-T4", on: "2025-06-16", results: ["urinalysis": "MARK-U"])
        try fitness("C1-T4", .cleared)
        var later = self
        later.clock = Instant.parse("2026-06-17T00:00:00.000Z")!
        let laterWorkflow = later.workflow
        #expect(try store.write { db in try laterWorkflow.announceLapses(in: db) } == 1, "C1-T4's lapse; C1-T5's was announced already")
        #expect(try store.write { db in try laterWorkflow.announceLapses(in: db) } == 0, "once")
        lapses = try store.unpublishedEvents(of: .healthScreening).compactMap { $0.payload(as: ClearanceLapsed.self) }
        #expect(lapses.map(\.travellerID) == ["C1-T5", "C1-T4"])
    }

    @Test func aWithdrawnCaseClosesItsScreenings() throws {
        try apply(CaseWithdrawn())
        #expect(try record("C1-T1").status == "closed")
        #expect(try record("C1-T1").screenings.allSatisfy { $0.status == "closed" })
        expectProblem("traveller-not-active", status: 409) { db in
            try workflow.recordExam("C1-T1", ExamInput(examinedOn: LocalDate("2026-06-10")!, results: [:], recordedBy: "ho"), in: db)
        }
        #expect(try store.read { db in try HealthRepository.workList("due", now: HealthFixtures.now, in: db) }.isEmpty)
    }

    @Test func noEventCarriesAResultANoteOrACondition() throws {
        for t in ["C1-T1", "C1-T2"] {
            try exam(TravellerID(t), results: HealthFixtures.fullResults)
        }
        try fitness("C1-T1", .clearedWithRequirements, requirements: [.oxygen])
        try fitness("C1-T2", .onHold, holdUntil: HealthFixtures.now.addingTimeInterval(86_400))
        let text = try store.unpublishedText()
        #expect(!text.contains("MARK-"))
        #expect(try record("C1-T1").screenings[0].exams[0].results["hiv"] == "MARK-HIV reactive", "kept in the store for health officers")
    }
}

extension HealthWorkflowTests {
    @Test func travelAskingForARescreenAfterALapseOpensOneOnce() throws {
        try exam("C1-T5", results: [:])
        try fitness("C1-T5", .cleared)
        let hold = BookingOnHold(bookingID: "B1", reason: .clearanceLapsed, travellerIDs: ["C1-T5"], holdUntil: nil)
        try apply(hold)
        try apply(hold)  // a second hold for the same lapse: still one re-screen
        #expect(try record("C1-T5").screenings.map(\.kind) == [.initial, .rescreen])
        #expect(try store.unpublishedEvents(of: .healthScreening).last?.payload(as: ScreeningOpened.self)?.kind == .rescreen)
        try apply(BookingOnHold(bookingID: "B1", reason: .noShow, travellerIDs: ["C1-T4"], holdUntil: nil))
        #expect(try record("C1-T4").screenings.count == 1, "other holds ask nothing of health")
    }
}

extension HealthWorkflowTests {
    @Test func oneHandlerPerConsumedEventTypeAndNoOther() throws {
        let handled = HealthScreeningService.handlers(workflow).handledEvents.map { $0.eventType.name }
        #expect(handled == ServiceName.healthScreening.consumes.map { $0.eventType.name })
        #expect(throws: EventRejected.self) { try apply(ScreeningOpened(travellerID: "C1-T1", kind: .rescreen)) }
    }
}
