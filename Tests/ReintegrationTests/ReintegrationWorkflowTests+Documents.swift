import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore
@testable import Reintegration
import TestSupport
import Testing

/// Proofs of delivery: one per disbursement of the case, erased with the case.
extension ReintegrationWorkflowTests {
    func uploadProof(disbursement: String?, case id: CaseID = "C1", content: Data = DocumentSamples.jpeg, type: String = "image/jpeg") throws -> DocumentView {
        try store.write { db in
            try CaseDocuments.upload(DocumentUpload(caseID: id, kind: "proof-of-delivery", disbursement: disbursement), content: content,
                                     contentType: type, by: "ro-1", at: Self.now, rules: ReintegrationDocuments.rules(), in: db)
        }
    }

    @Test func aProofOfDeliveryNamesADisbursementOfTheCaseAndIsErasedWithIt() throws {
        try openCase()
        try approvedPlan([item(150_000)])
        let delivered = try disburse(40_000)
        let proof = try uploadProof(disbursement: delivered.rawValue)
        #expect(proof.disbursementID == delivered && proof.travellerID == nil && proof.mediaType == .jpeg)

        #expect(throws: DocumentRefusal.subjectRequired(parameter: "disbursement", kind: .proofOfDelivery)) { _ = try uploadProof(disbursement: nil) }
        #expect(throws: DocumentRefusal.unknownDisbursement) { _ = try uploadProof(disbursement: "C9-D1") }
        #expect(throws: DocumentRefusal.unknownCase) { _ = try uploadProof(disbursement: delivered.rawValue, case: "C9") }
        #expect(throws: DocumentRefusal.unknownKind(allowed: [.proofOfDelivery])) {
            _ = try store.write { db in
                try CaseDocuments.upload(DocumentUpload(caseID: "C1", kind: "medical-certificate", traveller: "C1-T1"), content: DocumentSamples.pdf(),
                                         contentType: "application/pdf", by: "ro-1", at: Self.now, rules: ReintegrationDocuments.rules(), in: db)
            }
        }
        let (_, bytes) = try store.read { db in try CaseDocuments.download(proof.documentID, of: "C1", rules: ReintegrationDocuments.rules(), in: db) }
        #expect(bytes == DocumentSamples.jpeg)

        try apply(PersonalDataErased(reason: .request))
        #expect(try store.read { db in try CaseDocuments.list("C1", rules: ReintegrationDocuments.rules(), in: db) }.documents.isEmpty)
        #expect(throws: DocumentRefusal.caseErased) { _ = try uploadProof(disbursement: delivered.rawValue) }
    }
}
