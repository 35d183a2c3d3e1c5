import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore
@testable import Intake
import IntakeAPI
import TestSupport
import Testing

/// Corrections (IOM data protection principles 3 and 11): every personal field, checked as
/// at registration, the search hashes recomputed, a timeline step naming the fields and
/// never their values, and downstream told only what it holds.
extension IntakeWorkflowTests {
    func correct(_ id: CaseID, traveller: Int? = nil, _ changes: [String: JSONValue], by caseworker: String = "cw-ben") throws {
        let correction = Correction(recordedBy: caseworker, changes: changes)
        try store.write { db in
            if let traveller {
                try workflow.correct(id, traveller: TravellerID("\(id)-T\(traveller)"), correction, in: db)
            } else {
                try workflow.correct(id, correction, in: db)
            }
        }
    }

    /// The problem a correction is refused with, having changed nothing.
    func refusedCorrection(_ id: CaseID, traveller: Int? = nil, _ changes: [String: JSONValue],
                           sourceLocation: SourceLocation = #_sourceLocation) throws -> Problem? {
        let (before, events) = (try view(id), try store.unpublishedEvents(of: .intake).count)
        defer {
            #expect((try? view(id)) == before, "nothing written", sourceLocation: sourceLocation)
            #expect((try? store.unpublishedEvents(of: .intake).count) == events, "nothing announced", sourceLocation: sourceLocation)
        }
        do {
            try correct(id, traveller: traveller, changes)
        } catch let problem as Problem {
            return problem
        } catch let refusal as any ProblemConvertible {
            return refusal.problem
        }
        Issue.record("accepted", sourceLocation: sourceLocation)
        return nil
    }

    @Test func everyFieldOfATravellerIsCorrectedAndDownstreamToldOnlyWhatItHolds() throws {
        let id = try register()
        try store.write { db in try IntakeFixtures.declare(id, with: workflow, in: db) }
        let announced = try store.unpublishedEvents(of: .intake).count
        try correct(id, traveller: 2, [
            "givenName": .string("Matías"), "familyName": .string("Ruiz"), "dateOfBirth": .string("2001-05-01"), "sex": .string("female"),
            "nationality": .string("VE"), "languages": .array([.string("es"), .string("en")]), "relationship": .string("sibling"),
            "travelDocumentStatus": .string("expired"),
        ])
        let child = try #require(try view(id).travellers.last)
        #expect(child.givenName == "Matías" && child.familyName == "Ruiz" && child.dateOfBirth == LocalDate("2001-05-01"))
        #expect(child.sex == .female && child.nationality == "VE" && child.languages == ["es", "en"])
        #expect(child.familyRole == .sibling && child.travelDocumentStatus == .expired)

        let step = try #require(try view(id).timeline.last)
        #expect(step.step == "corrected")
        #expect(step.outcome == "\(id)-T2: dateOfBirth, familyName, givenName, languages, nationality, relationship, sex, travelDocumentStatus corrected by cw-ben")
        let events = try store.unpublishedEvents(of: .intake).dropFirst(announced)
        #expect(events.map(\.type.name) == ["intake.traveller-corrected", "intake.orientation-required"])
        #expect(events.first?.payload(as: TravellerCorrected.self) == TravellerCorrected(
            travellerID: child.travellerID, ageYears: 12, sex: .female, familyRole: .sibling, travelDocumentStatus: .expired))
        #expect(events.last?.payload(as: OrientationRequired.self) == OrientationRequired(travellerIDs: [child.travellerID]),
                "12 now: the pilot's orientation before departure")
        let text = try store.unpublishedText()
        for value in ["Matías", "Ruiz", "2001-05-01", "\"en\""] { #expect(!text.contains(value), "\(value) travelled in an event") }
    }

    @Test func aCorrectedNameIsFoundByTheNewValueAndNoLongerByTheOld() throws {
        let sealed = try Store(path: try makeWorkDirectory("intake-sealed").appendingPathComponent("i.sqlite").path,
                               cipher: try FieldCipher(keys: [("k1", Data(repeating: 7, count: 32))], active: "k1", service: "intake"), migrations: IntakeSchema.register)
        func found(_ edit: (inout CaseFilter) -> Void) throws -> Int {
            var filter = CaseFilter()
            edit(&filter)
            return try sealed.read { db in try CaseRepository.search(filter, in: db).total }
        }
        let id = try sealed.write { db in try workflow.register(IntakeFixtures.referral(), idempotencyKey: nil, in: db) }
        #expect(try found { $0.givenName = "Maria" } == 1)
        try sealed.write { db in
            try workflow.correct(id, traveller: TravellerID("\(id)-T1"),
                                 Correction(recordedBy: "cw-ben", changes: ["givenName": .string("Mariana"), "dateOfBirth": .string("1985-04-21")]), in: db)
        }
        #expect(try found { $0.givenName = "Maria" } == 0)
        #expect(try found { $0.givenName = "mariana" } == 1)
        #expect(try found { $0.dateOfBirth = LocalDate("1985-04-12") } == 0)
        #expect(try found { $0.dateOfBirth = LocalDate("1985-04-21"); $0.givenName = "Mariana" } == 1)
        let stored = try sealed.read { db in try Row.fetchOne(db, sql: "SELECT given_name, date_of_birth FROM intake_traveller WHERE traveller_id = ?", arguments: ["\(id)-T1"]) }
        #expect((stored?[0] as String?)?.hasPrefix("v2.k1.") == true && (stored?[1] as String?)?.hasPrefix("v2.k1.") == true, "sealed at rest")
    }

    @Test func aCorrectionThatChangesNothingDownstreamAnnouncesNothing() throws {
        let id = try register()
        let announced = try store.unpublishedEvents(of: .intake).count
        // Before ready-for-screening, health holds no age or sex; nobody holds names or languages.
        try correct(id, traveller: 2, ["dateOfBirth": .string("2008-06-01"), "sex": .string("female"), "familyName": .string("Ruiz")])
        try correct(id, traveller: 1, ["languages": .array([.string("fr")]), "nationality": .string("PE")])
        try correct(id, ["vulnerabilities": .array([.string("pregnancy")])])
        #expect(try store.unpublishedEvents(of: .intake).count == announced)
        #expect(try view(id).timeline.suffix(3).map(\.outcome) == [
            "\(id)-T2: dateOfBirth, familyName, sex corrected by cw-ben", "\(id)-T1: languages, nationality corrected by cw-ben",
            "vulnerabilities corrected by cw-ben",
        ])
        #expect(try view(id).vulnerabilities == [.pregnancy])
        // A patch that changes nothing leaves no step.
        let steps = try view(id).timeline.count
        try correct(id, traveller: 1, ["givenName": .string("Maria")])
        #expect(try view(id).timeline.count == steps)
    }

    @Test func theCasesFactsMergeAndReDecideEligibility() throws {
        var referral = IntakeFixtures.referral()
        referral.currentLocation.area = "Ottawa"
        let id = try register(referral)
        #expect(try view(id).status == .notEligible)
        try correct(id, ["currentLocation": .object(["area": .string("GTA")]), "immigration": .object(["appealFiled": .bool(false)])])
        let corrected = try view(id)
        #expect(corrected.status == .active && corrected.eligibility?.eligible == true)
        #expect(corrected.currentLocation.city == "Toronto", "a nested object merges: the city stays")
        #expect(corrected.immigration?.finalNegativeDecisionOn == LocalDate("2014-02-10"))
        #expect(corrected.timeline.suffix(2).map(\.step) == ["corrected", "eligibility-decided"])
        #expect(corrected.timeline.suffix(2).first?.outcome == "currentLocation corrected by cw-ben", "appealFiled was false already")
        try correct(id, ["immigration": .object(["finalNegativeDecisionOn": .null])])
        #expect(try view(id).immigration?.finalNegativeDecisionOn == nil, "null removes an optional field")
    }

    @Test func eachFieldIsRefusedByTheRuleOfRegistrationNamingIt() throws {
        let id = try register()
        let cases: [(Int?, [String: JSONValue], String, String?)] = [
            (1, ["middleName": .string("Ana")], "unknown-field", "/middleName"),
            (nil, ["returnCountry": .string("PE")], "unknown-field", "/returnCountry"),
            (nil, ["currentLocation": .object(["street": .string("Queen St")])], "unknown-field", "/currentLocation/street"),
            (1, ["givenName": .string("  ")], "required", "/givenName"),
            (1, ["familyName": .null], "required", "/familyName"),
            (1, ["dateOfBirth": .string("2014-03-02")], "birth-in-future", "/dateOfBirth"),
            (1, ["dateOfBirth": .string("1880-01-01")], "implausible-age", "/dateOfBirth"),
            (1, ["dateOfBirth": .number(1985)], "wrong-type", "/dateOfBirth"),
            (1, ["sex": .string("unknown")], "invalid-value", "/sex"),
            (1, ["nationality": .string("co")], "country-code", "/nationality"),
            (1, ["travelDocumentStatus": .null], "required", "/travelDocumentStatus"),
            (1, ["relationship": .string("child")], "principal-relationship", "/relationship"),
            (2, ["relationship": .string("principal")], "one-principal", "/relationship"),
            (2, ["relationship": .null], "dependant-without-relationship", "/relationship"),
            (2, ["givenName": .string("maria"), "dateOfBirth": .string("1985-04-12")], "duplicate-traveller", ""),
            (nil, ["currentLocation": .object(["city": .string("")])], "required", "/currentLocation/city"),
            (nil, ["immigration": .object(["finalNegativeDecisionOn": .string("2014-02-21")])], "decision-after-referral", "/immigration/finalNegativeDecisionOn"),
            (nil, ["vulnerabilities": .array([.string("elderly"), .string("elderly")])], "duplicate-vulnerability", "/vulnerabilities"),
        ]
        for (traveller, changes, rule, field) in cases {
            let problem = try refusedCorrection(id, traveller: traveller, changes)
            #expect(problem?.rule == rule && problem?.field == field, "\(changes): \(String(describing: problem))")
            #expect(problem?.statusCode == 422)
        }
        #expect(try refusedCorrection(id, traveller: 1, ["middleName": .string("Ana")])?.allowed == [
            "givenName", "familyName", "dateOfBirth", "sex", "nationality", "relationship", "languages", "travelDocumentStatus",
        ])
        #expect(try refusedCorrection(id, traveller: 3, ["sex": .string("male")])?.rule == "unknown-traveller")
    }

    @Test func anEndedCaseIsCorrectedWithoutReassessmentAndAnErasedOneIsNot() throws {
        let id = try register()
        try store.write { db in try workflow.withdraw(id, WithdrawalInput(recordedBy: "cw-anna"), in: db) }
        try correct(id, ["currentLocation": .object(["area": .string("Ottawa")])])
        let withdrawn = try view(id)
        #expect(withdrawn.status == .withdrawn, "the decision stands once the case ended")
        #expect(withdrawn.currentLocation.area == "Ottawa" && withdrawn.timeline.last?.step == "corrected")
        try store.write { db in try workflow.erase(id, ErasureInput(recordedBy: "sup-eli"), in: db) }
        let refused = try refusedCorrection(id, traveller: 1, ["givenName": .string("Mariana")])
        #expect(refused?.statusCode == 409 && refused?.rule == "case-erased")
        #expect(try refusedCorrection(id, ["vulnerabilities": .null])?.rule == "case-erased")
    }
}
