import Foundation
import GRDB
import HomewardModel
import Kafka
import TestSupport
import Testing

/// Intake's documents over HTTP, as caseworkers' tools send them, against the executable.
@Suite("Intake documents over HTTP", .serialized)
struct IntakeDocumentFlowTests {
    @Test func caseworkersUploadListAndDownloadAndTheDeclarationWaitsForItsSignedForm() async throws {
        let cluster = try TestCluster("intake-documents")
        let intake = try await cluster.readyService("intake", extra: ["DOCUMENTS_MAX_BYTES": "400000"])
        let base = intake.baseURL
        let created = try await HTTP.send("POST", base.appendingPathComponent("cases"), body: try EventCoding.encoder().encode(IntakeFixtures.referral()))
        let caseID = try #require(try created.json()["caseID"] as? String)
        let declaration = base.appendingPathComponent("cases/\(caseID)/declaration")

        // The pilot's gate: counselled, the declaration is still refused, listing what is missing.
        try await IntakeFixtures.counsel(base, case: caseID)
        let refused = try await HTTP.send("POST", declaration, body: Data("{}".utf8))
        #expect(refused.status == 409)
        #expect(try refused.json()["rule"] as? String == "documents-missing")
        #expect(try refused.json()["missing"] as? [String] == ["signed-declaration"])

        // A traveller's identity document, larger than a stored chunk; health officers reach none of it.
        try await DocumentFlow.roundTrip(base, case: caseID, kind: "identity-document", traveller: "\(caseID)-T1",
                                         uploader: [.caseworker], outsider: [.healthOfficer])
        // Its bytes are sealed in the store: the PDF's text is nowhere in the partition file.
        let partition = KafkaPartitioner.partition(ofKey: caseID.utf8, partitions: 4)
        let file = try DatabaseQueue(path: "\(intake.storeDirectory)/partition-0\(partition).sqlite")
        let stored = try await file.read { db in try String.fetchAll(db, sql: "SELECT content FROM document_chunk") }
        #expect(stored.count == 2 && stored.allSatisfy { $0.hasPrefix("v2.") && !$0.contains("%PDF") })

        // What is refused, with the field, the rule and what is allowed.
        func upload(_ kind: String, _ content: Data, type: String = "application/pdf", traveller: String? = nil) async throws -> [String: Any] {
            let reply = try await DocumentSamples.upload(base, case: caseID, kind: kind, traveller: traveller, content: content, type: type)
            var json = try reply.json()
            json["status"] = reply.status
            return json
        }
        let unknownKind = try await upload("medical-certificate", DocumentSamples.pdf())
        #expect(unknownKind["status"] as? Int == 422 && unknownKind["field"] as? String == "kind")
        #expect(unknownKind["allowed"] as? [String] == ["identity-document", "signed-consent", "signed-declaration", "travel-document"])
        let html = try await upload("signed-declaration", Data("<html>".utf8), type: "text/html")
        #expect(html["status"] as? Int == 415 && html["field"] as? String == "Content-Type")
        let active = try await upload("signed-declaration", DocumentSamples.activePDF)
        #expect(active["status"] as? Int == 422 && active["rule"] as? String == "active-content")
        let empty = try await upload("signed-declaration", Data())
        #expect(empty["rule"] as? String == "empty-document")
        let large = try await upload("signed-declaration", DocumentSamples.pdf(padding: 500_000))
        #expect(large["status"] as? Int == 413 && large["rule"] as? String == "document-too-large", "DOCUMENTS_MAX_BYTES holds")
        let misspelt = try await HTTP.send("POST", base.appendingPathComponent("cases/\(caseID)/documents").appending(queryItems: [.init(name: "kinds", value: "x")]),
                                           body: DocumentSamples.pdf())
        #expect(try misspelt.status == 400 && (misspelt.json()["field"] as? String) == "kinds")

        // The signed declaration: then the declaration is recorded, and the case is ready for screening.
        #expect(try await DocumentSamples.upload(base, case: caseID, kind: "signed-declaration", content: DocumentSamples.pdf()).status == 201)
        let declared = try await HTTP.send("POST", declaration, body: Data("{}".utf8))
        #expect(declared.status == 200)
        #expect(try declared.json()["stage"] as? String == "screening")
        await intake.child.stop()
    }
}
