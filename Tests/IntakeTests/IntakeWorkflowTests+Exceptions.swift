import Foundation
import HomewardModel
import HomewardRuntime
import HomewardStore
@testable import Intake
import IntakeAPI
import TestSupport
import Testing

/// Exceptions to consent (IOM principle 13): a supervisor other than the case's caseworker
/// records one, on a legal basis of the closed list, with a reason that stays sealed in
/// intake; announced, on the timeline, withdrawn.
extension IntakeWorkflowTests {
    static func exception(by supervisor: String = "sup-eli", until: Date? = nil, reason: String = "unconscious; oxygen needed on board") -> ExceptionInput {
        ExceptionInput(purpose: .processing, legalBasis: .vitalInterest, reason: reason, validUntil: until, recordedBy: supervisor)
    }

    @Test func aSupervisorRecordsAnExceptionAnnouncedWithoutItsReasonAndWithdrawsIt() throws {
        let sealed = try Store(path: try makeWorkDirectory("intake-exception").appendingPathComponent("i.sqlite").path,
                               cipher: try FieldCipher(keys: [("k1", Data(repeating: 7, count: 32))], active: "k1", service: "intake"), migrations: IntakeSchema.register)
        let id = try sealed.write { db in try workflow.register(IntakeFixtures.referral(), idempotencyKey: nil, in: db) }
        func refused(_ rule: String, _ input: ExceptionInput) -> Problem? {
            refusal(expecting: rule) { try sealed.write { db in try workflow.recordException(id, input, in: db) } }
        }
        #expect(refused("four-eyes", Self.exception(by: "cw-anna"))?.statusCode == 409, "not the caseworker who registered the case")
        #expect(refused("valid-until-past", Self.exception(until: IntakeFixtures.now))?.field == "/validUntil")
        #expect(refused("required", Self.exception(reason: " "))?.field == "/reason")
        let until = IntakeFixtures.now.addingTimeInterval(86_400)
        try sealed.write { db in try workflow.recordException(id, Self.exception(until: until), in: db) }

        let shown = try #require(try sealed.read { db in try CaseRepository.view(id, in: db) }?.exceptions)
        #expect(shown == [ExceptionView(purpose: .processing, legalBasis: .vitalInterest, reason: "unconscious; oxygen needed on board", validUntil: until,
                                        recordedBy: "sup-eli", recordedAt: IntakeFixtures.now)])
        let stored = try sealed.read { db in try String.fetchOne(db, sql: "SELECT reason FROM intake_exception") }
        #expect(stored?.hasPrefix("v2.k1.") == true && stored?.contains("oxygen") == false, "sealed at rest")
        let announced = try sealed.unpublishedEvents(of: .intake).compactMap { $0.payload(as: ExceptionChanged.self) }
        #expect(announced == [ExceptionChanged(purpose: .processing, legalBasis: .vitalInterest, inForce: true, validUntil: until)])
        #expect(try !sealed.unpublishedText().contains("oxygen"), "the reason is in no event")

        try sealed.write { db in try workflow.withdrawException(id, .processing, ExceptionWithdrawalInput(recordedBy: "sup-ida"), in: db) }
        #expect(refusal(expecting: "no-exception") {
            try sealed.write { db in try workflow.withdrawException(id, .processing, ExceptionWithdrawalInput(recordedBy: "sup-ida"), in: db) }
        }?.statusCode == 409)
        let view = try #require(try sealed.read { db in try CaseRepository.view(id, in: db) })
        #expect(view.exceptions.first?.withdrawnBy == "sup-ida")
        #expect(try sealed.unpublishedEvents(of: .intake).compactMap { $0.payload(as: ExceptionChanged.self) }.last
                == ExceptionChanged(purpose: .processing, legalBasis: .vitalInterest, inForce: false))
        let steps = view.timeline.filter { $0.step.hasPrefix("exception-") }
        #expect(steps.map(\.outcome) == ["processing: vital-interest, until 2014-03-02T12:00:00.000Z", "processing: vital-interest"])
        #expect(view.timeline.allSatisfy { !$0.outcome.contains("oxygen") }, "nor in the timeline")

        try sealed.write { db in try workflow.withdraw(id, WithdrawalInput(recordedBy: "cw"), in: db) }
        try sealed.write { db in try workflow.erase(id, ErasureInput(recordedBy: "sup"), in: db) }
        #expect(try sealed.read { db in try CaseRepository.view(id, in: db) }?.exceptions.first?.reason == nil, "erased with the personal data")
    }
}
