import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore
@testable import TravelBooking
import TestSupport
import Testing

/// Travel documents and tickets: one traveller's each, erased with the case.
extension TravelWorkflowTests {
    func upload(_ kind: String, traveller: String?, case id: CaseID = "C1") throws -> DocumentView {
        try store.write { db in
            try CaseDocuments.upload(DocumentUpload(caseID: id, kind: kind, traveller: traveller), content: DocumentSamples.png, contentType: "image/png",
                                     by: "mo-1", at: TravelFixtures.now, rules: TravelDocuments.rules(), in: db)
        }
    }

    @Test func ticketsAndTravelDocumentsAreEachTravellersAndAreErasedWithTheCase() throws {
        let ticket = try upload("ticket", traveller: "C1-T3")
        let passport = try upload("travel-document", traveller: "C1-T1")
        #expect(ticket.travellerID == "C1-T3" && passport.kind == .travelDocument)
        #expect(throws: DocumentRefusal.subjectRequired(parameter: "traveller", kind: .ticket)) { _ = try upload("ticket", traveller: nil) }
        #expect(throws: DocumentRefusal.unknownTraveller) { _ = try upload("ticket", traveller: "C2-T1") }
        #expect(throws: DocumentRefusal.unknownKind(allowed: [.ticket, .travelDocument])) { _ = try upload("signed-declaration", traveller: nil) }

        try apply(PersonalDataErased(reason: .retention))
        #expect(try store.read { db in try CaseDocuments.list("C1", rules: TravelDocuments.rules(), in: db) }.documents.isEmpty)
        #expect(throws: DocumentRefusal.caseErased) { _ = try upload("ticket", traveller: "C1-T3") }
    }
}
