import Foundation
import HomewardModel
import HomewardRuntime
import HomewardStore
@testable import Intake
import IntakeAPI
import TestSupport
import Testing

/// What intake's subject export holds: every table that names the case, sealed values
/// opened; after an erasure, what is left and when.
extension IntakeWorkflowTests {
    @Test func theSubjectExportHoldsEveryTableOfTheCaseWithItsSealedValuesOpened() throws {
        let sealed = try SubjectExports.sealedStore(.intake, IntakeSchema.self)
        let id = try sealed.write { db in try workflow.register(IntakeFixtures.referral(), idempotencyKey: nil, in: db) }
        try sealed.write { db in try workflow.recordCounselling(id, IntakeFixtures.counselling(notes: "worried about debts"), in: db) }
        let part = try #require(try SubjectExports.part(id, of: .intake, IntakeSchema.self, in: sealed))
        #expect(SubjectExports.gaps(in: part, IntakeSchema.self).isEmpty, "\(SubjectExports.gaps(in: part, IntakeSchema.self))")
        #expect(part.service == .intake && part.caseID == id && part.requestedBy == "dpo-1" && part.erasedAt == nil)

        let travellers = part.tables["intake_traveller"] ?? []
        #expect(travellers.map { $0["given_name"] } == [.string("Maria"), .string("Mateo")])
        #expect(travellers.first?["date_of_birth"] == .string("1985-04-12") && travellers.first?["languages"] == .array([.string("es")]))
        let stored = try #require(part.tables["intake_case"]?.first)
        #expect(stored["current_city"] == .string("Toronto"))
        #expect(stored["registered_at"] == .string(Instant.format(IntakeFixtures.now)), "instants as UTC text")
        guard case .object(let immigration)? = stored["immigration"] else { Issue.record("stored JSON as JSON: \(String(describing: stored["immigration"]))"); return }
        #expect(immigration["finalNegativeDecisionOn"] == .string("2014-02-10"))
        #expect(part.tables["intake_counselling"]?.first?["notes"] == .string("worried about debts"))
        #expect(part.tables["intake_consent"]?.first?["purpose"] == .string("processing"))
        #expect(part.tables["intake_timeline"]?.compactMap { $0["step"] }.first == .string("registered"))
        #expect(try SubjectExports.part("HW-nobody", of: .intake, IntakeSchema.self, in: sealed) == nil, "an unknown case: 404")

        // Erased: the figures and the steps are left, and when.
        try sealed.write { db in try workflow.withdraw(id, WithdrawalInput(recordedBy: "cw"), in: db) }
        try sealed.write { db in try workflow.erase(id, ErasureInput(recordedBy: "sup"), in: db) }
        let erased = try #require(try SubjectExports.part(id, of: .intake, IntakeSchema.self, in: sealed))
        #expect(erased.erasedAt == IntakeFixtures.now)
        #expect(erased.tables["intake_traveller"]?.allSatisfy { $0["given_name"] == .string("") && $0["sex"] != .string("") } == true)
        #expect(erased.tables["intake_timeline"]?.last?["step"] == .string("personal-data-erased"))
    }
}
