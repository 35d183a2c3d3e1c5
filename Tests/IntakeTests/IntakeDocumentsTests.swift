import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore
@testable import Intake
import TestSupport
import Testing
import IntakeAPI

/// Intake's documents on a store: the kinds it keeps and what each is about, the
/// programme's screening gate, erasure with the case.
@Suite("Intake documents")
struct IntakeDocumentsTests {
    let store: Store
    let workflow = IntakeFixtures.workflow()

    init() throws { store = try IntakeFixtures.makeStore() }

    /// A pilot case, counselled: the documents are all its declaration waits for.
    func register() throws -> CaseID {
        try store.write { db in
            let id = try workflow.register(IntakeFixtures.referral(), idempotencyKey: nil, in: db)
            try workflow.recordCounselling(id, IntakeFixtures.counselling(), in: db)
            return id
        }
    }

    func declare(_ id: CaseID) throws {
        try store.write { db in try workflow.recordDeclaration(id, DeclarationInput(recordedBy: "cw-anna"), in: db) }
    }

    func view(_ id: CaseID) throws -> CaseView { try store.read { db in try CaseRepository.view(id, in: db)! } }

    @Test func thePilotRefusesTheDeclarationUntilTheSignedDeclarationIsUploaded() throws {
        let id = try register()
        #expect(throws: DocumentRefusal.documentsMissing(gate: "screening", missing: [.signedDeclaration])) { try declare(id) }
        #expect(try view(id).declaration == nil, "nothing recorded")
        #expect(try view(id).readyForScreeningAt == nil)
        let problem = DocumentRefusal.documentsMissing(gate: "screening", missing: [.signedDeclaration]).problem
        #expect(problem.statusCode == 409 && problem.rule == "documents-missing" && problem.missing == ["signed-declaration"])

        // Another kind does not meet the gate.
        try IntakeFixtures.upload(id, kind: "signed-consent", in: store)
        #expect(throws: DocumentRefusal.documentsMissing(gate: "screening", missing: [.signedDeclaration])) { try declare(id) }

        try IntakeFixtures.uploadSignedDeclaration(id, in: store)
        try declare(id)
        #expect(try view(id).readyForScreeningAt != nil)
        #expect(try store.unpublishedEvents(of: .intake).contains { $0.type.name == "intake.ready-for-screening" })
        #expect(!(try store.unpublishedText()).contains("signed-declaration"), "no event names the documents")
    }

    @Test func aProgrammeStatesItsGatesAndOnlyIntakesKinds() throws {
        func programme(_ required: String) throws -> Programme {
            try JSONDecoder().decode(Programme.self, from: Data("""
                { "id": "docs", "name": "Documents", "currency": "USD", "timeZone": "UTC", "requiresFinalNegativeDecision": false,
                  "refusesWithdrawnOrAbandonedClaims": false, "tiers": [{ "tier": "full", "budgetMinor": 100000 }],
                  "requiredDocuments": \(required) }
                """.utf8))
        }
        #expect(try programme(#"{"screening": ["signed-declaration", "identity-document"]}"#).requiredDocuments?["screening"]
                == [.signedDeclaration, .identityDocument])
        #expect(IntakeFixtures.programmes.programme("canada-gta-pilot")?.requiredDocuments == ["screening": [.signedDeclaration]])
        #expect(IntakeFixtures.programmes.programme("generic-avrr")?.requiredDocuments == nil)
        for wrong in [#"{"departure": ["signed-declaration"]}"#, #"{"screening": ["medical-certificate"]}"#, #"{"screening": ["selfie"]}"#] {
            #expect(throws: DecodingError.self, "\(wrong)") { try programme(wrong) }
        }
    }

    @Test func eachKindNamesWhatItIsAbout() throws {
        let id = try register()
        let traveller = "\(id)-T1"
        let identity = try IntakeFixtures.upload(id, kind: "identity-document", traveller: traveller, content: DocumentSamples.jpeg, type: "image/jpeg",
                                                 in: store)
        #expect(identity.travellerID == TravellerID(traveller) && identity.mediaType == .jpeg && identity.uploadedBy == "cw-anna")
        #expect(identity.sha256 == DocumentStore.sha256(DocumentSamples.jpeg) && identity.size == DocumentSamples.jpeg.count)

        #expect(throws: DocumentRefusal.subjectRequired(parameter: "traveller", kind: .identityDocument)) {
            try IntakeFixtures.upload(id, kind: "identity-document", in: store)
        }
        #expect(throws: DocumentRefusal.unknownTraveller) { try IntakeFixtures.upload(id, kind: "travel-document", traveller: "HW-other-T1", in: store) }
        #expect(throws: DocumentRefusal.subjectNotTaken(parameter: "traveller", kind: .signedDeclaration)) {
            try IntakeFixtures.upload(id, kind: "signed-declaration", traveller: traveller, in: store)
        }
        let allowed: [DocumentKind] = [.identityDocument, .signedConsent, .signedDeclaration, .travelDocument]
        #expect(throws: DocumentRefusal.unknownKind(allowed: allowed), "medical certificates stay in health") {
            try IntakeFixtures.upload(id, kind: "medical-certificate", traveller: traveller, in: store)
        }
        #expect(throws: DocumentRefusal.unknownCase) { try IntakeFixtures.upload("HW-nobody", kind: "signed-consent", in: store) }
        #expect(throws: DocumentRefusal.activeContent("JavaScript")) {
            try IntakeFixtures.upload(id, kind: "signed-consent", content: DocumentSamples.activePDF, in: store)
        }
        let list = try store.read { db in try CaseDocuments.list(id, rules: IntakeDocuments.rules(), in: db) }
        #expect(list.documents == [identity], "refused uploads kept nothing")
        #expect(try IntakeFixtures.count("document_chunk", store) == 1)
    }

    @Test func erasureDeletesTheCasesDocumentsAndNoneIsUploadedAfter() throws {
        let id = try register()
        let document = try IntakeFixtures.uploadSignedDeclaration(id, in: store)
        try store.write { db in try workflow.withdraw(id, WithdrawalInput(recordedBy: "cw"), in: db) }
        try store.write { db in try workflow.erase(id, ErasureInput(recordedBy: "sup"), in: db) }
        #expect(try IntakeFixtures.count("document", store) == 0)
        #expect(try IntakeFixtures.count("document_chunk", store) == 0)
        #expect(throws: DocumentRefusal.unknownDocument) {
            try store.read { db in try CaseDocuments.download(document.documentID, of: id, rules: IntakeDocuments.rules(), in: db) }
        }
        #expect(throws: DocumentRefusal.caseErased) { try IntakeFixtures.uploadSignedDeclaration(id, in: store) }
    }

    @Test func aSizeLimitIsTheServicesOwn() throws {
        let id = try register()
        let rules = IntakeDocuments.rules(limit: 2048)
        let big = DocumentSamples.pdf(padding: 4096)
        #expect(throws: DocumentRefusal.tooLarge(limit: 2048)) {
            try store.write { db in
                try CaseDocuments.upload(DocumentUpload(caseID: id, kind: "signed-consent"), content: big, contentType: "application/pdf",
                                         by: "cw", at: Date(), rules: rules, in: db)
            }
        }
    }
}
