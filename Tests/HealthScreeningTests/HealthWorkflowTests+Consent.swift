import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore
@testable import HealthScreening
import TestSupport
import Testing
import HealthScreeningAPI

extension HealthWorkflowTests {
    func expectConsentWithdrawn(_ step: String, _ body: (Database) throws -> Void) {
        guard let problem = refusal(expecting: "consent-withdrawn", { try store.write(body) }) else { return }
        #expect(problem.rule == "consent-withdrawn", "\(step)")
        #expect(problem.statusCode == 409, "\(step)")
        #expect(problem.missing == ["processing"], "\(step): the problem names the purpose")
    }

    @Test func withdrawnConsentToProcessingHoldsTheCaseUntilGivenAgain() throws {
        try exam("C1-T5", results: [:])
        try fitness("C1-T5", .cleared)
        let departure = HealthFixtures.now.addingTimeInterval(48 * 3600)
        try apply(BookingConfirmed(bookingID: "B1", travellerIDs: ["C1-T5"], departureAt: departure, arrivalAt: departure,
                                   arrivalAirport: "BOG", arrivalFlightNumber: "AV1"))
        try apply(ConsentChanged(purpose: .processing, granted: false))
        #expect(try record("C1-T1").heldForConsent && record("C1-T5").heldForConsent)
        func listed(_ list: String) throws -> [Bool] {
            try store.read { db in try HealthRepository.workList(list, now: HealthFixtures.now, in: db) }.map(\.heldForConsent)
        }
        #expect(try !listed("due").isEmpty && listed("due").allSatisfy { $0 }, "the work list says why nothing can be done")

        let workflow = self.workflow
        expectConsentWithdrawn("an exam") { db in
            try workflow.recordExam("C1-T1", ExamInput(examinedOn: LocalDate("2026-06-10")!, results: HealthFixtures.fullResults, recordedBy: "ho"), in: db)
        }
        expectConsentWithdrawn("a fitness outcome") { db in try workflow.recordFitness("C1-T1", FitnessInput(outcome: .notCleared, recordedBy: "ho"), in: db) }
        expectConsentWithdrawn("a re-screen") { db in try workflow.rescreen("C1-T5", RescreenInput(recordedBy: "ho"), in: db) }
        expectConsentWithdrawn("a pre-embarkation check") { db in
            try workflow.recordPreEmbarkation("C1-T5", FitnessInput(outcome: .cleared, recordedBy: "ho"), in: db)
        }
        try apply(BookingOnHold(bookingID: "B1", reason: .clearanceLapsed, travellerIDs: ["C1-T5"]))
        #expect(try record("C1-T5").screenings.count == 1, "no screening opens on its own while consent is withdrawn")
        #expect(try record("C1-T1").screenings[0].exams.isEmpty && record("C1-T1").screenings[0].status == "open", "held, not closed or erased")

        try apply(ConsentChanged(purpose: .processing, granted: true), at: HealthFixtures.now.addingTimeInterval(60))
        #expect(try !record("C1-T1").heldForConsent)
        #expect(try !listed("due").isEmpty && listed("due").allSatisfy { !$0 })
        try store.write { db in try workflow.recordPreEmbarkation("C1-T5", FitnessInput(outcome: .cleared, recordedBy: "ho"), in: db) }
        try exam("C1-T1", results: HealthFixtures.fullResults)
        #expect(try record("C1-T1").screenings[0].exams.count == 1)
    }

    @Test func aWithdrawalBeforeTheCaseReachesHealthIsKept() throws {
        let handlers = HealthScreeningService.handlers(workflow)
        for payload in [ConsentChanged(purpose: .processing, granted: false) as any EventPayload,
                        ReadyForScreening(travellers: [.init(travellerID: "C2-T1", ageYears: 30, sex: .male)])] {
            try store.write { db in try handlers.apply(.received(payload, case: "C2", at: HealthFixtures.now), in: db) }
        }
        #expect(try record("C2-T1").heldForConsent)
        #expect(try !record("C1-T1").heldForConsent, "per case")
        let workflow = self.workflow
        expectConsentWithdrawn("an exam") { db in
            try workflow.recordExam("C2-T1", ExamInput(examinedOn: LocalDate("2026-06-10")!, results: HealthFixtures.fullResults, recordedBy: "ho"), in: db)
        }
    }
}
