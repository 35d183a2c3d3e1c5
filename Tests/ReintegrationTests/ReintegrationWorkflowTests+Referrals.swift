import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore
@testable import Reintegration
import ReintegrationAPI
import TestSupport
import Testing

/// Referrals that close the loop: to an active partner of the directory offering the
/// service, in the case's country; each step dated and attributed; refused steps say what
/// may follow; the waiting list; notes sealed and erased.
extension ReintegrationWorkflowTests {
    /// The shipped directory's Colombian partner, for a service it offers.
    static let referral = ReferralInput(partnerID: "fundacion-retorno-risaralda", service: .businessStartUp, recordedBy: "ro-1")

    func refer(_ input: ReferralInput = Self.referral) throws -> String {
        try write { db in try workflow.refer("C1", input, in: db) }
        return try #require(try view().referrals.last?.referralID)
    }

    func step(_ id: String, _ status: ReferralStatus, reason: String? = nil, by: String = "ro-2", with workflow: ReintegrationWorkflow? = nil) throws {
        try write { db in try (workflow ?? self.workflow).recordReferralStep("C1", id, ReferralStepInput(status: status, reason: reason, recordedBy: by), in: db) }
    }

    @Test func aReferralGoesFromSentToCompletedEachStepDatedAndAttributed() throws {
        try openCase()
        let published = try events().count
        let id = try refer(ReferralInput(partnerID: "fundacion-retorno-risaralda", service: .businessStartUp, note: "  ", recordedBy: "ro-1"))
        #expect(id.hasPrefix("C1-R"))
        let later = ReintegrationWorkflow(survey: Self.survey, partners: Self.partners, clock: { Self.now.addingTimeInterval(86_400) })
        try step(id, .accepted, with: later)
        try step(id, .inProgress, reason: "first session booked", with: later)
        try step(id, .completed, by: "ro-3", with: later)
        let referral = try #require(try view().referrals.first)
        #expect(referral.status == .completed && referral.partnerName == "Fundación Retorno Risaralda" && referral.service == .businessStartUp)
        #expect(referral.steps == [
            ReferralStepView(status: .sent, at: Self.now, by: "ro-1"),
            ReferralStepView(status: .accepted, at: Self.now.addingTimeInterval(86_400), by: "ro-2"),
            ReferralStepView(status: .inProgress, at: Self.now.addingTimeInterval(86_400), by: "ro-2", reason: "first session booked"),
            ReferralStepView(status: .completed, at: Self.now.addingTimeInterval(86_400), by: "ro-3"),
        ], "a blank note is none")
        #expect(try events().count == published, "referrals publish nothing")
    }

    @Test func aStepThatDoesNotFollowIsRefusedSayingWhatMay() throws {
        try openCase()
        let id = try refer()
        guard let problem = refusal(expecting: "referral-step-not-allowed", { try step(id, .completed) }) else { return }
        #expect(problem.field == "/status" && problem.statusCode == 409)
        #expect(problem.detail == "a referral sent does not become completed; it becomes accepted or declined or cancelled")
        expectProblem("reason-missing", status: 422) { db in
            try workflow.recordReferralStep("C1", id, ReferralStepInput(status: .declined, reason: " ", recordedBy: "ro-2"), in: db)
        }
        try step(id, .declined, reason: "no places until March")
        guard let ended = refusal(expecting: "referral-step-not-allowed", { try step(id, .accepted) }) else { return }
        #expect(ended.detail == "a referral declined does not become accepted; it has ended")
        #expect(try view().referrals.first?.steps.map(\.status) == [.sent, .declined], "the refusals wrote nothing")
        expectProblem("unknown-referral", status: 404) { db in
            try workflow.recordReferralStep("C1", "C1-Rnothere", ReferralStepInput(status: .accepted, recordedBy: "ro-2"), in: db)
        }
    }

    @Test("a referral goes to an active partner of the directory, in the case's country, offering the service",
          arguments: [("nobody", AssistanceCategory.housing, "unknown-partner", "/partnerID"),
                      ("centro-salud-mental-bogota", .psychosocialSupport, "partner-inactive", "/partnerID"),
                      ("fundacion-proempleo-cdmx", .jobPlacement, "partner-in-another-country", "/partnerID"),
                      ("fundacion-retorno-risaralda", .medical, "service-not-offered", "/service")])
    func partnerRules(partner: String, service: AssistanceCategory, rule: String, field: String) throws {
        try openCase()
        guard let problem = refusal(expecting: rule, { try write { db in try workflow.refer("C1", ReferralInput(partnerID: partner, service: service, recordedBy: "ro-1"), in: db) } })
        else { return }
        #expect(problem.field == field && problem.statusCode == 422)
        if rule == "service-not-offered" {
            #expect(problem.detail == "the partner offers business-start-up, housing, vocational-training, psychosocial-support")
        }
        #expect(try view().referrals.isEmpty)
    }

    @Test func referralsWaitingPastTheConfiguredTimeAreListedOldestFirst() throws {
        try openCase()
        let old = try refer()
        let answered = try refer(ReferralInput(partnerID: "fundacion-retorno-risaralda", service: .housing, recordedBy: "ro-1"))
        try step(answered, .accepted)
        let fresh = ReintegrationWorkflow(survey: Self.survey, partners: Self.partners, clock: { Self.now.addingTimeInterval(4 * 86_400) })
        try write { db in try fresh.refer("C1", ReferralInput(partnerID: "fundacion-retorno-risaralda", service: .vocationalTraining, recordedBy: "ro-1"), in: db) }
        let listedAt = Self.now.addingTimeInterval(6 * 86_400), waitingFor: TimeInterval = 5 * 86_400
        let waiting = try store.read { db in try ReintegrationRepository.referralsWaiting(sentBefore: listedAt.addingTimeInterval(-waitingFor), in: db) }
        #expect(waiting.map(\.line.referralID) == [old], "sent 6 days before, unanswered; not the answered one, nor the one sent 2 days before")
        #expect(waiting.first?.line.sentAt == Self.now && waiting.first?.line.caseID == "C1" && waiting.first?.line.service == .businessStartUp)
    }

    @Test func withdrawalOrConsentWithdrawnCancelsTheReferralsNotEnded() throws {
        try openCase()
        let declined = try refer()
        try step(declined, .declined, reason: "full")
        let open = try refer(ReferralInput(partnerID: "fundacion-retorno-risaralda", service: .housing, recordedBy: "ro-1"))
        try step(open, .accepted)
        try apply(ConsentChanged(purpose: .sharingWithReintegrationPartner, granted: false), at: Self.now)
        let referrals = try view().referrals
        #expect(referrals.map(\.status) == [.declined, .cancelled])
        #expect(referrals.last?.steps.last == ReferralStepView(status: .cancelled, at: Self.now, by: "intake"))
        try apply(CaseWithdrawn(), at: Self.now)
        #expect(try view().referrals.last?.steps.count == 3, "an ended referral is not cancelled again")
    }

    @Test func notesAndReasonsAreSealedAtRestAndErasedWithThePersonalData() throws {
        let sealed = try Store(path: try makeWorkDirectory("reint-ref-sealed").appendingPathComponent("r.sqlite").path,
                               cipher: try FieldCipher(keys: [("k1", Data(repeating: 7, count: 32))], active: "k1", service: "reintegration"), migrations: ReintegrationSchema.register)
        try openCase(in: sealed)
        try sealed.write { db in
            try workflow.refer("C1", ReferralInput(partnerID: "fundacion-retorno-risaralda", service: .housing, note: "her sister hosts her for now", recordedBy: "ro-1"), in: db)
        }
        let id = try #require(try sealed.read { db in try ReintegrationRepository.view("C1", in: db)?.referrals.first?.referralID })
        try sealed.write { db in try workflow.recordReferralStep("C1", id, ReferralStepInput(status: .declined, reason: "no room for her children", recordedBy: "ro-2"), in: db) }
        let stored = try sealed.read { db in try String.fetchAll(db, sql: "SELECT reason FROM reint_referral_step ORDER BY id") }
        #expect(stored.allSatisfy { $0.hasPrefix("v2.k1.") } && !stored.joined().contains("sister"), "sealed at rest")
        func shown() throws -> [String?] { try sealed.read { db in try ReintegrationRepository.view("C1", in: db)!.referrals[0].steps.map(\.reason) } }
        #expect(try shown() == ["her sister hosts her for now", "no room for her children"])
        try apply(PersonalDataErased(reason: .request), to: sealed)
        #expect(try shown() == [nil, nil])
        let kept = try sealed.read { db in try ReintegrationRepository.view("C1", in: db)!.referrals[0] }
        #expect(kept.status == .declined && kept.partnerID == "fundacion-retorno-risaralda" && kept.steps.map(\.by) == ["ro-1", "ro-2"], "the steps stay")
    }

    @Test func aReferralRecordedBeforeTheDirectoryIsKeptSentWithItsPartnerAsNamed() throws {
        let queue = try DatabaseQueue()
        var migrator = DatabaseMigrator()
        ReintegrationSchema.register(in: &migrator)
        try migrator.migrate(queue, upTo: "reintegration-v4-expected")
        try queue.write { db in
            try db.execute(sql: "INSERT INTO reint_case (case_id, status, updated_at) VALUES ('C9', 'open', 0)")
            try db.execute(sql: "INSERT INTO reint_referral (case_id, partner, recorded_by, recorded_at) VALUES ('C9', 'Fundación A', 'ro-1', 100)")
        }
        try migrator.migrate(queue)
        let referral = try #require(try queue.read { db in try Row.fetchOne(db, sql: "SELECT referral_id, partner_id, partner, service, status FROM reint_referral") })
        #expect(referral == ["referral_id": "C9-R1", "partner_id": "Fundación A", "partner": "Fundación A", "service": nil, "status": "sent"])
        let step = try queue.read { db in try Row.fetchAll(db, sql: "SELECT referral_id, case_id, status, reason, recorded_by, recorded_at FROM reint_referral_step") }
        #expect(step == [["referral_id": "C9-R1", "case_id": "C9", "status": "sent", "reason": nil, "recorded_by": "ro-1", "recorded_at": 100.0]])
    }

    @Test func supervisorsChangesOnThePartnersTopicOverlayTheConfiguredDirectory() throws {
        try openCase()
        let book = PartnerBook(seed: try PartnerDirectory.shipped())
        let workflow = ReintegrationWorkflow(survey: Self.survey, partners: book, clock: { Self.now })
        func refer(_ partner: String, _ service: AssistanceCategory) throws {
            try write { db in try workflow.refer("C1", ReferralInput(partnerID: partner, service: service, recordedBy: "ro-1"), in: db) }
        }
        let seeded = try #require(book.partner("fundacion-retorno-risaralda"))
        var closed = seeded
        (closed.active, closed.changedBy, closed.changedAt) = (false, "sup-1", Self.now)
        let added = try ReferralRules.partner("taller-pereira", PartnerInput(name: "Taller Pereira", country: "CO", services: [.vocationalTraining], active: true,
                                                                             recordedBy: "sup-1"), at: Self.now)
        #expect(try book.apply(PartnerBook.record(closed), offset: 0) && book.apply(PartnerBook.record(added), offset: 1))
        #expect(!book.apply(Data(#"{"partnerID": 7}"#.utf8), offset: 2), "a record that is not a partner is skipped")
        #expect(book.hasRead(through: 2) && !book.hasRead(through: 3))
        #expect(book.partners.map(\.partnerID) == ["fundacion-retorno-risaralda", "fundacion-proempleo-cdmx", "autonomia-alapitvany", "centro-salud-mental-bogota",
                                                   "taller-pereira"], "the file's order, then the partners added")
        #expect(book.partner("fundacion-retorno-risaralda") == closed && book.partner("taller-pereira")?.changedBy == "sup-1")
        guard let problem = refusal(expecting: "partner-inactive", { try refer("fundacion-retorno-risaralda", .businessStartUp) }) else { return }
        #expect(problem.field == "/partnerID")
        try refer("taller-pereira", .vocationalTraining)
        #expect(try view().referrals.map(\.partnerName) == ["Taller Pereira"])
        guard let blank = refusal(expecting: "invalid-partner", {
            _ = try ReferralRules.partner("taller-pereira", PartnerInput(name: "Taller", country: "Colombia", services: [.housing], active: true, recordedBy: "sup-1"),
                                          at: Self.now)
        }) else { return }
        #expect(blank.field == "/country" && blank.statusCode == 422)
        guard let id = refusal(expecting: "invalid-partner", {
            _ = try ReferralRules.partner("Taller Pereira", PartnerInput(name: "Taller", country: "CO", services: [.housing], active: true, recordedBy: "sup-1"),
                                          at: Self.now)
        }) else { return }
        #expect(id.field == "partnerID")
    }

    @Test func thePartnerDirectoryIsDecodedStrictly() throws {
        let shipped = try PartnerDirectory.shipped()
        #expect(shipped.partners.count >= 3 && shipped.partners.contains { !$0.active })
        func invalid(_ json: String) -> String? {
            do {
                _ = try PartnerDirectory.decode(Data(json.utf8))
                return nil
            } catch let error as PartnerDirectory.Invalid {
                return error.field
            } catch {
                return "\(error)"
            }
        }
        let partner = #"{"id": "a-b", "name": "A B", "country": "CO", "services": ["housing"], "active": true"#
        #expect(invalid(#"{"partners": [\#(partner)}]}"#) == nil)
        #expect(invalid(#"{"partners": [\#(partner), "activ": false}]}"#) == "partners[0].activ")
        #expect(invalid(#"{"partners": [\#(partner)}, \#(partner)}]}"#) == "partners[1].id")
        #expect(invalid(#"{"partners": [{"id": "a", "name": "A", "country": "co", "services": ["housing"], "active": true}]}"#) == "partners[0].country")
        #expect(invalid(#"{"partners": [{"id": "a", "name": "A", "country": "CO", "services": [], "active": true}]}"#) == "partners[0].services")
        #expect(invalid(#"{"partners": [{"id": "a", "name": "A", "country": "CO", "services": ["flying"], "active": true}]}"#) == "partners[0].services[0]")
    }
}
