import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore
@testable import Intake
import IntakeAPI
import TestSupport
import Testing

/// Counselling before the informed-choice declaration: the programme decides how many
/// sessions (the GTA pilot: one); a session's notes are sealed at rest and erased.
extension IntakeWorkflowTests {
    @Test func theDeclarationWaitsForTheCounsellingTheProgrammeNeeds() throws {
        let id = try register()
        let refused = refusal(expecting: "counselling-required") {
            try store.write { db in try workflow.recordDeclaration(id, DeclarationInput(recordedBy: "cw-anna"), in: db) }
        }
        #expect(refused?.statusCode == 409)
        #expect(refused?.rule == "counselling-required")
        #expect(refused?.detail == "the programme needs 1 counselling session before the informed-choice declaration; 0 are recorded")
        #expect(try view(id).declaration == nil, "nothing written")
        #expect(!(try store.unpublishedEvents(of: .intake)).contains { $0.type.name == "intake.ready-for-screening" })

        try store.write { db in try workflow.recordCounselling(id, IntakeFixtures.counselling(), in: db) }
        let counselled = try view(id)
        #expect(counselled.counselling.map(\.outcome) == [.wishesToReturn])
        #expect(counselled.counselling.first?.counsellor == "cw-anna")
        #expect(counselled.counselling.first?.topics == [.returnOptions, .voluntariness, .assistanceAvailable])
        #expect(counselled.timeline.last?.step == "counselling")
        #expect(counselled.timeline.last?.outcome == "in-person session recorded", "no language, no wish: the timeline outlives an erasure")
        #expect(!(try store.unpublishedEvents(of: .intake)).contains { $0.type.name.contains("counselling") }, "no other service hears of it")

        try IntakeFixtures.uploadSignedDeclaration(id, in: store)  // the pilot's other gate
        try store.write { db in try workflow.recordDeclaration(id, DeclarationInput(recordedBy: "cw-anna"), in: db) }
        #expect(try view(id).stage == .screening)
    }

    @Test func aProgrammeThatNeedsNoCounsellingTakesTheDeclarationAtOnce() throws {
        var referral = IntakeFixtures.referral()
        referral.programmeID = "generic-avrr"
        let id = try register(referral)
        try store.write { db in try workflow.recordDeclaration(id, DeclarationInput(recordedBy: "cw-anna"), in: db) }
        #expect(try view(id).declaration != nil)
        #expect(try view(id).counselling.isEmpty)
    }

    @Test func aSessionThatBreaksARuleIsRefusedPreciselyAndChangesNothing() throws {
        let id = try register()
        func refused(_ rule: String, _ change: (inout CounsellingInput) -> Void) -> Problem? {
            var input = IntakeFixtures.counselling()
            change(&input)
            return refusal(expecting: rule) { try store.write { db in try workflow.recordCounselling(id, input, in: db) } }
        }
        let cases: [(String, String, (inout CounsellingInput) -> Void)] = [
            ("/heldAt", "session-in-future", { $0.heldAt = IntakeFixtures.now.addingTimeInterval(60) }),
            ("/heldAt", "session-before-referral", { $0.heldAt = Instant.parse("2014-02-20T14:59:00.000Z")! }),
            ("/language", "required", { $0.language = "  " }),
            ("/language", "language-code", { $0.language = "Spanish, mostly" }),
            ("/language", "language-code", { $0.language = String(repeating: "e", count: 36) }),
            ("/topics", "no-topics", { $0.topics = [] }),
            ("/topics/2", "duplicate-topic", { $0.topics = [.documents, .voluntariness, .documents] }),
            ("/recordedBy", "required", { $0.recordedBy = "" }),
        ]
        for (field, rule, change) in cases {
            let problem = refused(rule, change)
            #expect(problem?.rule == rule, "\(field)")
            #expect(problem?.field == field, "\(rule)")
            #expect(problem?.statusCode == 422, "\(rule)")
        }
        #expect(try view(id).counselling.isEmpty)
        #expect(try view(id).timeline.map(\.step) == ["registered", "consent-changed", "eligibility-decided"])
        // Another language code, a video session with an interpreter: taken.
        try store.write { db in
            try workflow.recordCounselling(id, CounsellingInput(mode: .video, language: "pt-BR", interpreter: true, topics: [.familyAndChildren],
                                                                outcome: .followUpNeeded, recordedBy: "cw-ben"), in: db)
        }
        #expect(try view(id).counselling.map(\.heldAt) == [IntakeFixtures.now], "held now unless stated")
        #expect(try view(id).timeline.last?.outcome == "video session recorded")
    }

    @Test func counsellingIsRecordedOnANotEligibleCaseButNotOnAnEndedOne() throws {
        var referral = IntakeFixtures.referral()
        referral.currentLocation.area = "Ottawa"
        let notEligible = try register(referral)
        try store.write { db in try workflow.recordCounselling(notEligible, IntakeFixtures.counselling(), in: db) }
        #expect(try view(notEligible).counselling.count == 1)

        let withdrawn = try register()
        try store.write { db in try workflow.withdraw(withdrawn, WithdrawalInput(recordedBy: "cw"), in: db) }
        let refused = refusal(expecting: "case-not-active") {
            try store.write { db in try workflow.recordCounselling(withdrawn, IntakeFixtures.counselling(), in: db) }
        }
        #expect(refused?.rule == "case-not-active")
        #expect(refusal(expecting: "unknown-case") {
            try store.write { db in try workflow.recordCounselling("HW-nobody", IntakeFixtures.counselling(), in: db) }
        }?.statusCode == 404)
    }

    @Test func theCounsellorsNotesAreSealedAtRestAndErasedWithThePersonalData() throws {
        let sealed = try Store(path: try makeWorkDirectory("intake-sealed").appendingPathComponent("i.sqlite").path,
                               cipher: try FieldCipher(keys: [("k1", Data(repeating: 7, count: 32))], active: "k1", service: "intake"), migrations: IntakeSchema.register)
        let id = try sealed.write { db in try workflow.register(IntakeFixtures.referral(), idempotencyKey: nil, in: db) }
        let notes = "worried about her brother's debts in Bogotá"
        try sealed.write { db in try workflow.recordCounselling(id, IntakeFixtures.counselling(notes: notes), in: db) }
        let stored = try sealed.read { db in try String.fetchOne(db, sql: "SELECT notes FROM intake_counselling") }
        #expect(stored?.contains("v2.k1.") == true && stored?.contains("debts") == false, "sealed at rest")
        func shown() throws -> CounsellingView? { try sealed.read { db in try CaseRepository.view(id, in: db)?.counselling.first } }
        #expect(try shown()?.notes == notes)
        #expect(try !sealed.unpublishedText().contains("debts"), "in no event")
        #expect(try sealed.read { db in try CaseRepository.view(id, in: db)!.timeline }.allSatisfy { !$0.outcome.contains("debts") }, "nor in the timeline")

        try sealed.write { db in try workflow.withdraw(id, WithdrawalInput(recordedBy: "cw"), in: db) }
        try sealed.write { db in try workflow.erase(id, ErasureInput(recordedBy: "sup"), in: db) }
        #expect(try shown()?.notes == nil)
        #expect(try shown()?.outcome == .wishesToReturn, "the session itself stays")
        #expect(try sealed.read { db in try String.fetchOne(db, sql: "SELECT notes FROM intake_counselling") } == "")
    }

    // MARK: Orientation

    static func orientation(heldAt: Date? = nil) -> OrientationInput {
        OrientationInput(heldAt: heldAt, language: "es", interpreter: true, topics: [.arrivalProcedures, .reintegrationAssistance, .contacts],
                         recordedBy: "cw-anna")
    }

    @Test func anOrientationIsRecordedPerTravellerAndAnnouncedWithoutWhatWasSaid() throws {
        let id = try register()
        let t1 = TravellerID("\(id)-T1"), t2 = TravellerID("\(id)-T2")
        try store.write { db in
            try workflow.recordOrientation(id, t1, Self.orientation(heldAt: Instant.parse("2014-02-25T10:00:00.000Z")!), in: db)
            try workflow.recordOrientation(id, t1, Self.orientation(), in: db)
        }
        let view = try view(id)
        #expect(view.travellers.map { $0.orientation?.heldAt } == [IntakeFixtures.now, nil], "the latest, per traveller")
        #expect(view.travellers.first?.orientation?.topics == [.arrivalProcedures, .reintegrationAssistance, .contacts])
        #expect(view.travellers.first?.orientation?.recordedBy == "cw-anna")
        #expect(view.timeline.suffix(2).map(\.step) == ["orientation", "orientation"])
        #expect(view.timeline.last?.outcome == "\(t1) oriented")
        let recorded = try store.unpublishedEvents(of: .intake).compactMap { $0.payload(as: OrientationRecorded.self) }
        #expect(recorded == [OrientationRecorded(travellerID: t1, heldAt: Instant.parse("2014-02-25T10:00:00.000Z")!),
                             OrientationRecorded(travellerID: t1, heldAt: IntakeFixtures.now)])

        let unknown = refusal(expecting: "unknown-traveller") {
            try store.write { db in try workflow.recordOrientation(id, "HW-other-T1", Self.orientation(), in: db) }
        }
        #expect(unknown?.statusCode == 404)
        #expect(unknown?.rule == "unknown-traveller")
        var duplicate = Self.orientation()
        duplicate.topics = [.contacts, .contacts]
        #expect(refusal(expecting: "duplicate-topic") {
            try store.write { db in try workflow.recordOrientation(id, t2, duplicate, in: db) }
        }?.field == "/topics/1")
        #expect(try self.view(id).travellers.last?.orientation == nil, "nothing written")

        try store.write { db in try workflow.withdraw(id, WithdrawalInput(recordedBy: "cw"), in: db) }
        #expect(refusal(expecting: "case-not-active") {
            try store.write { db in try workflow.recordOrientation(id, t2, Self.orientation(), in: db) }
        }?.rule == "case-not-active")
    }

    @Test func noOrientationIsRecordedAfterTheFamilyDeparted() throws {
        let id = try register()
        let t1 = TravellerID("\(id)-T1")
        try store.write { db in
            try IntakeService.handlers.apply(received(Departed(bookingID: "b-1", departedAt: IntakeFixtures.now, travellerIDs: [t1], noShowTravellerIDs: []), case: id), in: db)
        }
        let late = refusal(expecting: "orientation-after-departure") {
            try store.write { db in try workflow.recordOrientation(id, t1, Self.orientation(), in: db) }
        }
        #expect(late?.statusCode == 409)
        #expect(try view(id).travellers.first?.orientation == nil, "nothing written")
    }
}
