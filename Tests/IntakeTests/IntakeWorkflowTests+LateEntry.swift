import Foundation
import HomewardModel
import HomewardRuntime
@testable import Intake
import IntakeAPI
import TestSupport
import Testing

/// A person who has already returned, registered for reintegration alone (issue 18, item 5).
extension IntakeWorkflowTests {
    /// The family of the fixtures, back in Colombia on their own since `returnedOn`, under
    /// the generic programme (which accepts late entries within a year).
    static func lateEntry(returnedOn: String = "2014-01-15", reason: LateEntryReason = .spontaneousReturn,
                          programme: String = "generic-avrr") -> ReferralRequest {
        var referral = IntakeFixtures.referral()
        referral.programmeID = programme
        referral.currentLocation = Location(city: "Bogotá", area: "CO-DC")
        referral.lateEntry = LateEntry(returnedOn: LocalDate(returnedOn)!, reason: reason)
        return referral
    }

    @Test func aLateEntryIsReadyForReintegrationNotForScreening() throws {
        let id = try register(Self.lateEntry())
        try store.write { db in try workflow.recordDeclaration(id, DeclarationInput(recordedBy: "cw-anna"), in: db) }
        try store.write { db in try workflow.reassess(id, in: db) }

        let view = try view(id)
        #expect(view.lateEntry == LateEntry(returnedOn: LocalDate("2014-01-15")!, reason: .spontaneousReturn))
        #expect(view.readyForReintegrationAt != nil)
        #expect(view.readyForScreeningAt == nil)
        #expect(view.stage == .reintegration)
        #expect(view.timeline.map(\.step) == ["registered", "consent-changed", "eligibility-decided", "declaration-recorded",
                                              "ready-for-reintegration", "eligibility-decided"])
        #expect(view.timeline[0].outcome.contains("a late entry (spontaneous-return, returned on 2014-01-15)"))

        let events = try store.unpublishedEvents(of: .intake)
        #expect(events.map(\.type.name) == ["intake.case-registered", "intake.consent-changed", "intake.eligibility-decided",
                                            "intake.late-entry-ready", "intake.eligibility-decided"])
        let ready = try #require(events[3].payload(as: LateEntryReady.self))
        #expect(ready == LateEntryReady(returnedOn: LocalDate("2014-01-15")!, reason: .spontaneousReturn,
                                        travellerIDs: view.travellers.map(\.travellerID)))
    }

    @Test(arguments: [
        (lateEntry(programme: "canada-gta-pilot"), "late-entry-not-accepted", "/lateEntry"),
        (lateEntry(returnedOn: "2014-02-21"), "return-after-referral", "/lateEntry/returnedOn"),
        (lateEntry(returnedOn: "2013-02-19"), "return-too-long-ago", "/lateEntry/returnedOn"),
    ])
    func aLateEntryTheProgrammeDoesNotAcceptIsRefusedAndWritesNothing(referral: ReferralRequest, rule: String, field: String) throws {
        let problem = try #require(refusal(expecting: rule) { _ = try register(referral) })
        #expect(problem.rule == rule)
        #expect(problem.field == field)
        #expect(try IntakeFixtures.count("intake_case", store) == 0)
    }

    @Test func theReturnMayBeUpToTheProgrammesDaysBeforeTheReferral() throws {
        // Referred on 2014-02-20; 365 days before is 2013-02-20.
        let id = try register(Self.lateEntry(returnedOn: "2013-02-20", reason: .otherProgramme))
        #expect(try view(id).lateEntry?.reason == .otherProgramme)
    }

    @Test func aProgrammeWithoutTheReasonNamesTheReasonsItAccepts() throws {
        let programme = try Programme(id: "returned-spontaneously", name: "Spontaneous returns only", currency: "EUR", timeZone: "UTC",
                                      requiresFinalNegativeDecision: false, refusesWithdrawnOrAbandonedClaims: false,
                                      tiers: [.init(tier: .full, budgetMinor: 100_000)],
                                      lateEntry: .init(reasons: [.spontaneousReturn], withinDaysOfReturn: 90))
        let refused = refusal(expecting: "late-entry-reason") {
            try ReferralValidation.lateEntry(LateEntry(returnedOn: LocalDate("2014-01-15")!, reason: .otherProgramme),
                                             referredOn: LocalDate("2014-02-20")!, under: programme)
        }
        #expect(refused?.rule == "late-entry-reason")
        #expect(refused?.detail?.contains("spontaneous-return") == true)
    }

    @Test func aProgrammeFileRefusesLateEntryTermsThatCannotHold() throws {
        let json = #"{"id":"x","name":"X","currency":"EUR","timeZone":"UTC","requiresFinalNegativeDecision":false,"#
            + #""refusesWithdrawnOrAbandonedClaims":false,"tiers":[{"tier":"full","budgetMinor":1}],"lateEntry":{"reasons":[],"withinDaysOfReturn":30}}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Programme.self, from: Data(json.utf8)) }
        let misspelt = json.replacingOccurrences(of: #""reasons":[]"#, with: #""reasons":["other-programme"],"withinDays":3"#)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Programme.self, from: Data(misspelt.utf8)) }
    }
}
