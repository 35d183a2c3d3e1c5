import Foundation
import HomewardModel
import Kafka
import TestSupport
import Testing

/// Health's medical certificates over HTTP: health officers' alone, per traveller, erased
/// with the case.
@Suite("Health documents over HTTP", .serialized)
struct HealthDocumentFlowTests {
    @Test func healthOfficersAloneKeepMedicalCertificatesAndErasureTakesThem() async throws {
        let cluster = try TestCluster("health-documents")
        let (health, producer) = try await cluster.fedService("health-screening")
        let base = health.baseURL
        let caseID = CaseID("CASE-DOC")
        for result in await producer.send([try EventTraffic.message(CloudEvent(caseID: caseID, data: ReadyForScreening(travellers: [
            .init(travellerID: "CASE-DOC-T1", ageYears: 34, sex: .female),
        ])))]) { _ = try result.get() }
        let documents = base.appendingPathComponent("cases/\(caseID)/documents")
        #expect(await eventually { (try? await HTTP.send("GET", documents).status) == 200 })

        // Caseworkers (and supervisors) reach no medical document.
        try await DocumentFlow.roundTrip(base, case: caseID.rawValue, kind: "medical-certificate", traveller: "CASE-DOC-T1",
                                         uploader: [.healthOfficer], outsider: [.caseworker, .supervisor])
        let unknownTraveller = try await DocumentSamples.upload(base, case: caseID.rawValue, kind: "medical-certificate", traveller: "CASE-X-T1",
                                                                content: DocumentSamples.pdf())
        #expect(try unknownTraveller.status == 422 && (unknownTraveller.json()["rule"] as? String) == "unknown-traveller")
        let noTraveller = try await DocumentSamples.upload(base, case: caseID.rawValue, kind: "medical-certificate", content: DocumentSamples.png,
                                                           type: "image/png")
        #expect(try noTraveller.status == 422 && (noTraveller.json()["field"] as? String) == "traveller")
        let unknownCase = try await DocumentSamples.upload(base, case: "CASE-NONE", kind: "medical-certificate", traveller: "CASE-NONE-T1",
                                                           content: DocumentSamples.pdf())
        #expect(unknownCase.status == 404)

        // Erased with the case's personal data: none listed, none taken after.
        for result in await producer.send([try EventTraffic.message(CloudEvent(caseID: caseID, data: PersonalDataErased(reason: .request)))]) {
            _ = try result.get()
        }
        #expect(await eventually { ((try? await HTTP.send("GET", documents).json()["documents"] as? [Any])?.isEmpty) == true })
        let after = try await DocumentSamples.upload(base, case: caseID.rawValue, kind: "medical-certificate", traveller: "CASE-DOC-T1",
                                                     content: DocumentSamples.pdf())
        #expect(try after.status == 409 && (after.json()["rule"] as? String) == "case-erased")
        await producer.close()
        await health.child.stop()
    }
}
