import Foundation
public import HomewardModel

extension CaseRegistered: ExampleEvent {
    public static var examples: [CaseRegistered] {
        [
            CaseRegistered(
                programmeID: "ca-gta-pilot",
                travellers: [
                    Traveller(travellerID: Example.principal, familyRole: .principal, travelDocumentStatus: .valid),
                    Traveller(travellerID: Example.spouse, familyRole: .spouseOrPartner, travelDocumentStatus: .expired),
                    Traveller(travellerID: Example.child, familyRole: .child, travelDocumentStatus: .appliedFor),
                ],
                returnCountry: "MX", returnCity: "Guadalajara"),
            CaseRegistered(
                programmeID: "generic-avrr",
                travellers: [
                    Traveller(travellerID: "trv-0101", familyRole: .principal, travelDocumentStatus: .missing),
                    Traveller(travellerID: "trv-0102", familyRole: .parent, travelDocumentStatus: .valid),
                    Traveller(travellerID: "trv-0103", familyRole: .sibling, travelDocumentStatus: .valid),
                    Traveller(travellerID: "trv-0104", familyRole: .otherRelative, travelDocumentStatus: .valid),
                ],
                returnCountry: "CO"),
        ]
    }
}

extension CaseWithdrawn: ExampleEvent {
    public static var examples: [CaseWithdrawn] { [CaseWithdrawn()] }
}

extension ConsentChanged: ExampleEvent {
    public static var examples: [ConsentChanged] {
        [
            ConsentChanged(purpose: .processing, granted: true),
            ConsentChanged(purpose: .sharingWithReintegrationPartner, granted: true),
            ConsentChanged(purpose: .sharingWithReceivingAuthorities, granted: false),
        ]
    }
}

extension ExceptionChanged: ExampleEvent {
    public static var examples: [ExceptionChanged] {
        [
            ExceptionChanged(purpose: .processing, legalBasis: .vitalInterest, inForce: true, validUntil: Example.instant("2013-04-30T03:59:59.999Z")),
            ExceptionChanged(purpose: .sharingWithReintegrationPartner, legalBasis: .bestInterests, inForce: true),
            ExceptionChanged(purpose: .sharingWithReceivingAuthorities, legalBasis: .legalObligation, inForce: false),
        ]
    }
}

extension EligibilityDecided: ExampleEvent {
    public static var examples: [EligibilityDecided] {
        [
            EligibilityDecided(
                eligible: true, assistance: AssistanceGrant(tier: .full, budget: Example.cad(2_000)),
                targetDepartureBy: Example.instant("2013-04-30T03:59:59.999Z")),
            EligibilityDecided(eligible: true, assistance: AssistanceGrant(tier: .reduced, budget: Example.cad(1_000))),
            EligibilityDecided(
                eligible: true, assistance: AssistanceGrant(tier: .designatedCountryOfOrigin, budget: Example.cad(500)),
                targetDepartureBy: Example.instant("2014-01-15T04:59:59.999Z")),
            EligibilityDecided(eligible: true, assistance: AssistanceGrant(tier: .travelOnly, budget: Example.cad(0))),
            EligibilityDecided(eligible: false, reasons: [.programmeWindow, .residenceArea, .finalNegativeDecision]),
            EligibilityDecided(eligible: false, reasons: [.claimNotWithdrawnOrAbandoned, .returnCountryCovered]),
            EligibilityDecided(eligible: false, reasons: [.assistanceTier]),
        ]
    }
}

extension EligibilityRevoked: ExampleEvent {
    public static var examples: [EligibilityRevoked] { [EligibilityRevoked()] }
}

extension PersonalDataErased: ExampleEvent {
    public static var examples: [PersonalDataErased] {
        [PersonalDataErased(reason: .request), PersonalDataErased(reason: .retention)]
    }
}

extension ReadyForScreening: ExampleEvent {
    public static var examples: [ReadyForScreening] {
        [
            ReadyForScreening(travellers: [
                Traveller(travellerID: Example.principal, ageYears: 41, sex: .male),
                Traveller(travellerID: Example.spouse, ageYears: 38, sex: .female),
                Traveller(travellerID: Example.child, ageYears: 4, sex: .other),
            ]),
        ]
    }
}

extension LateEntryReady: ExampleEvent {
    public static var examples: [LateEntryReady] {
        [
            LateEntryReady(returnedOn: LocalDate("2026-09-14")!, reason: .spontaneousReturn, travellerIDs: [Example.principal]),
            LateEntryReady(returnedOn: LocalDate("2026-10-02")!, reason: .otherProgramme, travellerIDs: [Example.principal, Example.spouse, Example.child]),
        ]
    }
}

extension OrientationRecorded: ExampleEvent {
    public static var examples: [OrientationRecorded] {
        [
            OrientationRecorded(travellerID: Example.principal, heldAt: Example.instant("2013-04-02T14:00:00.000Z")),
            OrientationRecorded(travellerID: Example.child, heldAt: Example.instant("2013-04-03T09:30:00.000Z")),
        ]
    }
}

extension OrientationRequired: ExampleEvent {
    public static var examples: [OrientationRequired] {
        [
            OrientationRequired(travellerIDs: [Example.principal]),
            OrientationRequired(travellerIDs: [Example.principal, Example.spouse]),
        ]
    }
}

extension TravellerCorrected: ExampleEvent {
    public static var examples: [TravellerCorrected] {
        [
            TravellerCorrected(travellerID: Example.child, ageYears: 11, sex: .female),
            TravellerCorrected(travellerID: Example.spouse, familyRole: .spouseOrPartner, travelDocumentStatus: .expired),
            TravellerCorrected(travellerID: Example.principal, ageYears: 42, sex: .other, travelDocumentStatus: .appliedFor),
            TravellerCorrected(travellerID: Example.child, familyRole: .child),
            TravellerCorrected(travellerID: Example.child, familyRole: .sibling, travelDocumentStatus: .valid),
            TravellerCorrected(travellerID: Example.spouse, familyRole: .otherRelative, travelDocumentStatus: .missing),
            TravellerCorrected(travellerID: Example.principal, ageYears: 70, sex: .male),
            TravellerCorrected(travellerID: Example.spouse, familyRole: .parent),
        ]
    }
}
