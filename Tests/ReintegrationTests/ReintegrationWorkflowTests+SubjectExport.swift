import Foundation
import HomewardModel
import HomewardRuntime
import HomewardStore
@testable import Reintegration
import ReintegrationAPI
import TestSupport
import Testing

/// Reintegration's subject export: the case and its assessments, sealed values opened,
/// money in minor units beside its currency.
extension ReintegrationWorkflowTests {
    @Test func theSubjectExportHoldsTheCaseAndItsAssessmentsWithTheirSealedValuesOpened() throws {
        let sealed = try SubjectExports.sealedStore(.reintegration, ReintegrationSchema.self)
        try openCase(in: sealed)
        try sealed.write { db in try workflow.recordAssessment("C1", AssessmentInput(kind: .needs, summary: "MARK-NEEDS a job in Bogotá", recordedBy: "ro-1"), in: db) }
        let part = try #require(try SubjectExports.part("C1", of: .reintegration, ReintegrationSchema.self, in: sealed))
        #expect(SubjectExports.gaps(in: part, ReintegrationSchema.self).isEmpty, "\(SubjectExports.gaps(in: part, ReintegrationSchema.self))")
        let stored = try #require(part.tables["reint_case"]?.first)
        #expect(stored["budget_minor"] == .integer(200_000) && stored["currency"] == .string("CAD"))
        #expect(stored["arrived_at"] == .string(Instant.format(Self.arrived)))
        #expect(part.tables["reint_assessment"]?.first?["summary"] == .string("MARK-NEEDS a job in Bogotá"))
        #expect(try SubjectExports.part("C2", of: .reintegration, ReintegrationSchema.self, in: sealed) == nil, "an unknown case: 404")
    }
}
