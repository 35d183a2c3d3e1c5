import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore
@testable import Intake
import TestSupport
import IntakeAPI

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
                         topics: [.returnOptions, .voluntariness, .assistanceAvailable], outcome: .wishesToReturn, notes: notes, counsellor: "cw-anna")
    }

    /// Records the counselling session the pilot needs, then the declaration.
    static func declare(_ id: CaseID, with workflow: IntakeWorkflow, in db: Database) throws {
        try workflow.recordCounselling(id, counselling(), in: db)
        try workflow.recordDeclaration(id, DeclarationInput(recordedBy: "cw-anna", declaredAt: nil), in: db)
    }

    static func makeStore() throws -> Store {
        try Store(path: try makeWorkDirectory("intake").appendingPathComponent("intake.sqlite").path, migrations: IntakeSchema.register)
    }

    static func workflow(now: Date = now) -> IntakeWorkflow {
        IntakeWorkflow(programmes: programmes, clock: { now })
    }

    static func count(_ table: String, _ store: Store) throws -> Int {
        try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
    }
}
