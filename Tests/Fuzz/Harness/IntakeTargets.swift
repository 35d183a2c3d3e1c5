import Foundation
import HomewardModel
@testable import Intake
import IntakeAPI

// Intake's request bodies (CasesController) and the case list's query (CaseFilter).

private let programmes = shipped("programmes") {
    try ProgrammeCatalogue.load(directory: repository.appendingPathComponent("Services/Intake/Programmes"))
}

let intakeTargets: [FuzzTarget] = [
    // Registration validates the referral, then decides eligibility on its facts
    // (IntakeWorkflow.register and .assess), before and after anything is written.
    requestTarget("intake.ReferralRequest", ReferralRequest.self, seeds: { [referral(), minimalReferral()] }) { referral in
        try ReferralValidation.validate(referral, programmes: programmes, now: fuzzNow)
        guard let programme = programmes.programme(referral.programmeID) else { return }
        _ = EligibilityEngine.decide(EligibilityFacts(
            referredAt: referral.referredAt, firstContactAt: referral.firstContactAt, residenceArea: referral.currentLocation.area,
            returnCountry: referral.returnCountry, finalNegativeDecisionOn: referral.immigration.finalNegativeDecisionOn,
            leaveApplicationFiled: referral.immigration.leaveApplicationFiled, appealFiled: referral.immigration.appealFiled,
            designatedCountryOfOrigin: referral.immigration.designatedCountryOfOrigin,
            claimWithdrawnOrAbandoned: referral.immigration.claimWithdrawnOrAbandoned), under: programme)
    },
    requestTarget("intake.ConsentInput", ConsentInput.self, seeds: {
        [ConsentInput(purpose: .processing, granted: true, recordedBy: "cw-anna"),
         ConsentInput(purpose: .sharingWithReintegrationPartner, granted: false)]
    }),
    requestTarget("intake.DeclarationInput", DeclarationInput.self, seeds: {
        [DeclarationInput(recordedBy: "cw-anna", declaredAt: Instant.parse("2014-02-22T10:30:00.000Z")!),
         DeclarationInput(recordedBy: "cw-anna", declaredAt: nil)]
    }),
    // A session's rules (IntakeWorkflow.recordCounselling), before anything is written.
    requestTarget("intake.CounsellingInput", CounsellingInput.self, seeds: {
        [CounsellingInput(heldAt: Instant.parse("2014-02-21T10:00:00.000Z")!, mode: .inPerson, language: "es", interpreter: true,
                          topics: [.returnOptions, .voluntariness], outcome: .wishesToReturn, notes: "asked about school", recordedBy: "cw-anna"),
         CounsellingInput(mode: .video, language: "pt-BR", interpreter: false, topics: [.familyAndChildren], outcome: .followUpNeeded)]
    }) { session in
        _ = try SessionRules.check(language: session.language, topics: session.topics, heldAt: session.heldAt, now: fuzzNow,
                                   referredAt: Instant.parse("2014-02-20T15:00:00.000Z")!)
    },
    requestTarget("intake.OrientationInput", OrientationInput.self, seeds: {
        [OrientationInput(heldAt: Instant.parse("2014-02-25T10:00:00.000Z")!, language: "es", interpreter: true,
                          topics: [.arrivalProcedures, .reintegrationAssistance, .contacts, .travelDay], recordedBy: "cw-anna"),
         OrientationInput(language: "fr", interpreter: false, topics: [.contacts])]
    }) { session in
        _ = try SessionRules.check(language: session.language, topics: session.topics, heldAt: session.heldAt, now: fuzzNow,
                                   referredAt: Instant.parse("2014-02-20T15:00:00.000Z")!)
    },
    requestTarget("intake.Correction", Correction.self, seeds: {
        [Correction(recordedBy: "cw-anna", changes: ["currentLocation": .object(["city": .string("Mississauga")]),
                                                     "immigration": .object(["finalNegativeDecisionOn": .null, "appealFiled": .bool(true)])]),
         Correction(recordedBy: "cw-anna", changes: ["givenName": .string("Ana"), "languages": .array([.string("es")]), "relationship": .null])]
    }),
    requestTarget("intake.WithdrawalInput", WithdrawalInput.self, seeds: { [WithdrawalInput(recordedBy: "cw-anna")] }),
    requestTarget("intake.RevocationInput", RevocationInput.self, seeds: { [RevocationInput(recordedBy: "cw-anna", authority: "CBSA")] }),
    requestTarget("intake.ErasureInput", ErasureInput.self, seeds: { [ErasureInput(recordedBy: "supervisor-eli")] }),
    requestTarget("intake.ExceptionInput", ExceptionInput.self, seeds: {
        [ExceptionInput(purpose: .processing, legalBasis: .vitalInterest, reason: "oxygen on board; the person is unconscious",
                        validUntil: Instant.parse("2014-03-01T00:00:00.000Z")!, recordedBy: "supervisor-eli"),
         ExceptionInput(purpose: .sharingWithReintegrationPartner, legalBasis: .bestInterests, reason: "an unaccompanied child")]
    }),
    requestTarget("intake.ExceptionWithdrawalInput", ExceptionWithdrawalInput.self, seeds: { [ExceptionWithdrawalInput(recordedBy: "supervisor-eli")] }),
    queryTarget("intake.CaseFilter", seeds: [
        "status=active&stage=travel&returnCountry=CO&programme=canada-gta-pilot&deadlineBefore=2026-12-01T00:00:00.000Z&limit=20&offset=40",
        "stage=intake&deadlineBefore=2026-12-01T00:00:00-05:00",
        "familyName=Quispe&givenName=Amaru&dateOfBirth=1980-01-01",
        "",
    ]) { query in _ = try CaseFilter(query) },
]

/// The family of the intake tests: a principal and a child, every optional field set.
private func referral() -> ReferralRequest {
    ReferralRequest(
        programmeID: "canada-gta-pilot", referringAuthority: "CBSA",
        referredAt: Instant.parse("2014-02-20T15:00:00.000Z")!, firstContactAt: Instant.parse("2014-02-21T09:00:00.000Z")!,
        principal: TravellerInput(givenName: "Maria", familyName: "Lopez", dateOfBirth: LocalDate("1985-04-12")!, sex: .female,
                                  nationality: "CO", relationship: .principal, languages: ["es"], travelDocumentStatus: .valid),
        dependants: [TravellerInput(givenName: "Mateo", familyName: "Lopez", dateOfBirth: LocalDate("2011-06-01")!, sex: .male,
                                    nationality: "CO", relationship: .child, languages: ["es", "en"], travelDocumentStatus: .appliedFor)],
        returnCountry: "CO", returnCity: "Bogotá", currentLocation: Location(city: "Toronto", area: "GTA"),
        immigration: ImmigrationFacts(finalNegativeDecisionOn: LocalDate("2014-02-10")!, leaveApplicationFiled: false, appealFiled: false,
                                      designatedCountryOfOrigin: false, claimWithdrawnOrAbandoned: false),
        vulnerabilities: [.seriousMedicalCondition, .pregnancy],
        consents: [ConsentInput(purpose: .processing, granted: true),
                   ConsentInput(purpose: .sharingWithReceivingAuthorities, granted: false, recordedBy: "cw-ben")],
        recordedBy: "cw-anna")
}

/// The same referral under the generic programme, with no optional field.
private func minimalReferral() -> ReferralRequest {
    ReferralRequest(
        programmeID: "generic-avrr", referringAuthority: "IRCC",
        referredAt: Instant.parse("2014-01-05T08:00:00.000Z")!, firstContactAt: Instant.parse("2014-01-05T08:00:00.000Z")!,
        principal: TravellerInput(givenName: "Ana", familyName: "Silva", dateOfBirth: LocalDate("1960-02-29")!, sex: .other,
                                  nationality: "BR", relationship: nil, languages: nil, travelDocumentStatus: .missing),
        dependants: nil, returnCountry: "BR", returnCity: nil, currentLocation: Location(city: "Ottawa", area: "NCR"),
        immigration: ImmigrationFacts(finalNegativeDecisionOn: nil, leaveApplicationFiled: true, appealFiled: true,
                                      designatedCountryOfOrigin: true, claimWithdrawnOrAbandoned: true),
        vulnerabilities: nil, consents: nil, recordedBy: "cw-anna")
}
