import Foundation
import HomewardModel
import HomewardRuntime
import HomewardStore
@testable import HealthScreening
import HealthScreeningAPI
import TestSupport
import Testing

/// Health's subject export: the medical record, opened, which leaves the service this way
/// only (to a data-protection officer, ``AccessControlTests``).
extension HealthWorkflowTests {
    @Test func theSubjectExportHoldsTheMedicalRecordOpened() throws {
        let sealed = try SubjectExports.sealedStore(.healthScreening, HealthSchema.self)
        let (workflow, handlers) = (self.workflow, HealthScreeningService.handlers(self.workflow))
        try sealed.write { db in
            try handlers.apply(.received(HealthFixtures.family, case: "C1", at: HealthFixtures.now), in: db)
            try handlers.apply(.received(ConsentChanged(purpose: .processing, granted: true), case: "C1", at: HealthFixtures.now), in: db)
            try workflow.recordExam("C1-T1", ExamInput(examinedOn: LocalDate("2026-06-10")!, results: HealthFixtures.fullResults, notes: "MARK-NOTE",
                                                       conditions: ["MARK-COND"], recordedBy: "ho-1"), in: db)
            try workflow.recordFitness("C1-T1", FitnessInput(outcome: .clearedWithRequirements, travelRequirements: [.oxygen], holdUntil: nil, recordedBy: "ho-1"), in: db)
        }
        let part = try #require(try SubjectExports.part("C1", of: .healthScreening, HealthSchema.self, in: sealed))
        #expect(SubjectExports.gaps(in: part, HealthSchema.self).isEmpty, "\(SubjectExports.gaps(in: part, HealthSchema.self))")
        #expect(part.tables["health_traveller"]?.count == 5)
        let exam = try #require(part.tables["health_exam"]?.first)
        #expect(exam["examined_on"] == .string("2026-06-10") && exam["notes"] == .string("MARK-NOTE") && exam["conditions"] == .array([.string("MARK-COND")]))
        guard case .object(let results)? = exam["results"] else { Issue.record("results as JSON: \(String(describing: exam["results"]))"); return }
        #expect(results["chest-x-ray"] == .string("MARK-XRAY opacity right upper lobe"))
        #expect(part.tables["health_outcome"]?.first?["requirements"] == .array([.string("oxygen")]))
        #expect(part.tables["case_consent"]?.first?["purpose"] == .string("processing"))
        #expect(try SubjectExports.part("C2", of: .healthScreening, HealthSchema.self, in: sealed) == nil, "an unknown case: 404")
    }
}
