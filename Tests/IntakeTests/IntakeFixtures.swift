import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore
@testable import Intake
import TestSupport
import IntakeAPI
import Testing

/// A family the Canadian GTA pilot accepts, referred in February 2014.
enum IntakeFixtures {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let programmes = try! ProgrammeCatalogue.load(directory: repository.appendingPathComponent("Services/Intake/Programmes"))
    static let now = Instant.parse("2014-03-01T12:00:00.000Z")!

    static func referral() -> ReferralRequest {
        ReferralRequest(
            programmeID: "canada-gta-pilot", referringAuthority: "CBSA",
            referredAt: Instant.parse("2014-02-20T15:00:00.000Z")!, firstContactAt: Instant.parse("2014-02-21T09:00:00.000Z")!,
            principal: TravellerInput(givenName: "Maria", familyName: "Lopez", dateOfBirth: LocalDate("1985-04-12")!, sex: .female,
                                      nationality: "CO", relationship: nil, languages: ["es"], travelDocumentStatus: .valid),
            dependants: [TravellerInput(givenName: "Mateo", familyName: "Lopez", dateOfBirth: LocalDate("2011-06-01")!, sex: .male,
                                        nationality: "CO", relationship: .child, languages: ["es"], travelDocumentStatus: .valid)],
            returnCountry: "CO", returnCity: "Bogotá", currentLocation: Location(city: "Toronto", area: "GTA"),
            immigration: ImmigrationFacts(finalNegativeDecisionOn: LocalDate("2014-02-10")!, leaveApplicationFiled: false, appealFiled: false,
                                          designatedCountryOfOrigin: false, claimWithdrawnOrAbandoned: false),
            vulnerabilities: [.unaccompaniedMinor].filter { _ in false },
            consents: [ConsentInput(purpose: .processing, granted: true, recordedBy: "cw-anna")], recordedBy: "cw-anna")
    }

    /// A counselling session the pilot's declaration needs first, held the day after the referral.
    static func counselling(notes: String? = nil) -> CounsellingInput {
        CounsellingInput(heldAt: Instant.parse("2014-02-21T10:00:00.000Z")!, mode: .inPerson, language: "es", interpreter: false,
                         topics: [.returnOptions, .voluntariness, .assistanceAvailable], outcome: .wishesToReturn, notes: notes, recordedBy: "cw-anna")
    }

    /// Records the counselling session the pilot needs, then the declaration.
    /// What the pilot needs before the declaration (a counselling session, the signed
    /// declaration uploaded), then the declaration.
    static func declare(_ id: CaseID, with workflow: IntakeWorkflow, in db: Database) throws {
        try workflow.recordCounselling(id, counselling(), in: db)
        try upload(id, kind: "signed-declaration", in: db)
        try workflow.recordDeclaration(id, DeclarationInput(recordedBy: "cw-anna", declaredAt: nil), in: db)
    }

    /// Over HTTP, the counselling session the pilot's declaration needs.
    static func counsel(_ base: URL, case caseID: String) async throws {
        let counselled = try await HTTP.send("POST", base.appendingPathComponent("cases/\(caseID)/counselling"), body: Data(
            #"{"mode":"in-person","language":"es","interpreter":false,"topics":["voluntariness"],"outcome":"wishes-to-return"}"#.utf8))
        #expect(counselled.status == 200)
    }

    /// Over HTTP, all the pilot's declaration needs first: the session and the signed form.
    static func prepareDeclaration(_ base: URL, case caseID: String) async throws {
        try await counsel(base, case: caseID)
        #expect(try await DocumentSamples.upload(base, case: caseID, kind: "signed-declaration", content: DocumentSamples.pdf()).status == 201)
    }

    static func makeStore() throws -> Store {
        try Store(path: try makeWorkDirectory("intake").appendingPathComponent("intake.sqlite").path, migrations: IntakeSchema.register)
    }

    static func workflow(now: Date = now) -> IntakeWorkflow {
        IntakeWorkflow(programmes: programmes, clock: { now })
    }

    /// Uploads a signed declaration, which the pilot requires before the declaration is recorded.
    @discardableResult
    static func uploadSignedDeclaration(_ id: CaseID, in store: Store) throws -> DocumentView {
        try upload(id, kind: "signed-declaration", in: store)
    }

    @discardableResult
    static func upload(_ id: CaseID, kind: String, traveller: String? = nil, content: Data = DocumentSamples.pdf(), type: String = "application/pdf",
                       in store: Store) throws -> DocumentView {
        try store.write { db in try upload(id, kind: kind, traveller: traveller, content: content, type: type, in: db) }
    }

    @discardableResult
    static func upload(_ id: CaseID, kind: String, traveller: String? = nil, content: Data = DocumentSamples.pdf(), type: String = "application/pdf",
                       in db: Database) throws -> DocumentView {
        try CaseDocuments.upload(DocumentUpload(caseID: id, kind: kind, traveller: traveller), content: content, contentType: type,
                                 by: "cw-anna", at: now, rules: IntakeDocuments.rules(), in: db)
    }

    static func count(_ table: String, _ store: Store) throws -> Int {
        try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
    }
}
