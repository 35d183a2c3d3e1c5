import Foundation
import HomewardModel
import HomewardRuntime
@testable import Intake
import TestSupport
import Testing
import IntakeAPI

@Suite("Referral validation: a precise problem, nothing written")
struct ReferralValidationTests {
    typealias Mutation = @Sendable (inout ReferralRequest) -> Void

    static let cases: [(String, String, String, Mutation)] = [
        ("unknown programme", "unknown-programme", "/programmeID", { $0.programmeID = "atlantis" }),
        ("empty authority", "required", "/referringAuthority", { $0.referringAuthority = " " }),
        ("no recorder", "required", "/recordedBy", { $0.recordedBy = "" }),
        ("referral in the future", "referral-in-future", "/referredAt", { $0.referredAt = IntakeFixtures.now.addingTimeInterval(1) }),
        ("contact before referral", "contact-before-referral", "/firstContactAt", { $0.firstContactAt = $0.referredAt.addingTimeInterval(-1) }),
        ("contact in the future", "contact-in-future", "/firstContactAt", { $0.firstContactAt = IntakeFixtures.now.addingTimeInterval(60) }),
        ("bad return country", "country-code", "/returnCountry", { $0.returnCountry = "Colombia" }),
        ("decision after referral", "decision-after-referral", "/immigration/finalNegativeDecisionOn", { $0.immigration.finalNegativeDecisionOn = LocalDate("2014-02-21") }),
        ("birth in the future", "birth-in-future", "/principal/dateOfBirth", { $0.principal.dateOfBirth = LocalDate("2014-03-02")! }),
        ("implausible age", "implausible-age", "/dependants/0/dateOfBirth", { $0.dependants![0].dateOfBirth = LocalDate("1870-01-01")! }),
        ("empty name", "required", "/dependants/0/givenName", { $0.dependants![0].givenName = "" }),
        ("bad nationality", "country-code", "/principal/nationality", { $0.principal.nationality = "col" }),
        ("principal with another role", "principal-relationship", "/principal/relationship", { $0.principal.relationship = .child }),
        ("dependant without relationship", "dependant-without-relationship", "/dependants/0/relationship", { $0.dependants![0].relationship = nil }),
        ("second principal", "one-principal", "/dependants/0/relationship", { $0.dependants![0].relationship = .principal }),
        ("duplicate traveller", "duplicate-traveller", "/dependants/1", { $0.dependants!.append($0.dependants![0]) }),
        ("same person as the principal", "duplicate-traveller", "/dependants/1", {
            var copy = $0.principal
            copy.relationship = .sibling
            copy.givenName = " maria "
            $0.dependants!.append(copy)
        }),
        ("consent given twice", "duplicate-consent", "/consents/1/purpose", { $0.consents!.append($0.consents![0]) }),
        ("vulnerability twice", "duplicate-vulnerability", "/vulnerabilities", { $0.vulnerabilities = [.pregnancy, .pregnancy] }),
        ("empty area", "required", "/currentLocation/area", { $0.currentLocation.area = "" }),
    ]

    @Test(arguments: 0..<cases.count)
    func aBadReferralIsRefusedNamingFieldAndRule(index: Int) throws {
        let (name, rule, field, mutate) = Self.cases[index]
        let store = try IntakeFixtures.makeStore()
        var referral = IntakeFixtures.referral()
        mutate(&referral)
        do {
            _ = try store.write { db in try IntakeFixtures.workflow().register(referral, idempotencyKey: "k", in: db) }
            Issue.record("\(name): accepted")
        } catch let refusal as any ProblemConvertible {
            let problem = refusal.problem
            #expect(problem.rule == rule, "\(name)")
            #expect(problem.field == field, "\(name)")
            #expect(problem.statusCode == 422)
            #expect(!(problem.detail ?? "").contains("Maria") && !(problem.detail ?? "").contains("1870"), "no value echoed")
        }
        for table in ["intake_case", "intake_traveller", "intake_consent", "intake_timeline", "intake_idempotency", "outbox"] {
            #expect(try IntakeFixtures.count(table, store) == 0, "\(name): \(table) written")
        }
    }

    @Test func theFixtureItselfIsValid() throws {
        try ReferralValidation.validate(IntakeFixtures.referral(), programmes: IntakeFixtures.programmes, now: IntakeFixtures.now)
    }
}
