import Foundation
import HomewardModel
@testable import Reintegration
import ReintegrationAPI

// Reintegration's request bodies (ReintegrationController). A monitoring visit goes on to
// be scored against the shipped sustainability survey, as ReintegrationWorkflow.recordVisit
// scores it.

private let survey = shipped("survey") {
    try SustainabilitySurvey.load(file: repository.appendingPathComponent("Services/Reintegration/Survey/sustainability-survey.json"))
}

let reintegrationTargets: [FuzzTarget] = [
    requestTarget("reintegration.ReceptionInput", ReceptionInput.self, seeds: {
        [ReceptionInput(needs: [.airportPickup, .escort], note: "meet at the arrivals exit, with a van that takes a folding wheelchair", recordedBy: "ro-1"),
         ReceptionInput(needs: [], recordedBy: "ro-1")]
    }),
    requestTarget("reintegration.AssessmentInput", AssessmentInput.self, seeds: {
        AssessmentKind.allCases.map { AssessmentInput(kind: $0, summary: "lives with her sister; seeks work as a seamstress", recordedBy: "ro-1") }
    }),
    requestTarget("reintegration.PlanInput", PlanInput.self, seeds: {
        [PlanInput(items: [
            PlanItemInput(dimension: .economic, category: .businessStartUp, partner: "Fundación A", description: "kiosk stock",
                          plannedAmount: Money(amountMinor: 40_000, currency: "CAD")),
            PlanItemInput(dimension: .psychosocial, category: .psychosocialSupport, partner: "Centro B", description: "counselling",
                          plannedAmount: Money(amountMinor: 10_000, currency: "CAD"))], recordedBy: "ro-1"),
         PlanInput(items: [], recordedBy: "ro-1")]
    }),
    requestTarget("reintegration.ApprovalInput", ApprovalInput.self, seeds: { [ApprovalInput(approvedBy: "sup-1")] }),
    requestTarget("reintegration.ReferralInput", ReferralInput.self, seeds: {
        [ReferralInput(partnerID: "fundacion-retorno-risaralda", service: .businessStartUp, note: "sews; wants her own workshop", recordedBy: "ro-1"),
         ReferralInput(partnerID: "autonomia-alapitvany", service: .jobPlacement, recordedBy: "ro-1")]
    }),
    requestTarget("reintegration.PartnerInput", PartnerInput.self, seeds: {
        [PartnerInput(name: "Taller Pereira", country: "CO", services: [.vocationalTraining, .jobPlacement], active: true, recordedBy: "sup-1")]
    }),
    requestTarget("reintegration.ReferralStepInput", ReferralStepInput.self, seeds: {
        [ReferralStepInput(status: .accepted, recordedBy: "ro-1"), ReferralStepInput(status: .declined, reason: "no places until March", recordedBy: "ro-1")]
    }),
    requestTarget("reintegration.DisbursementInput", DisbursementInput.self, seeds: {
        [DisbursementInput(itemID: "HW-1-I1", delivered: "sewing machine and fabric", partner: "Fundación A",
                           deliveredAt: Instant.parse("2026-12-15T16:00:00.000Z")!, value: Money(amountMinor: 38_550, currency: "CAD"),
                           recordedBy: "ro-1")]
    }),
    requestTarget("reintegration.ReversalInput", ReversalInput.self, seeds: { [ReversalInput(recordedBy: "ro-1")] }),
    requestTarget("reintegration.VisitInput", VisitInput.self, seeds: {
        [VisitInput(visitedAt: Instant.parse("2027-03-01T15:00:00.000Z")!,
                    answers: Dictionary(uniqueKeysWithValues: survey.indicators.enumerated().map { index, indicator in
                        (indicator.id, indicator.minimum + index % (indicator.maximum - indicator.minimum + 1))
                    }),
                    recordedBy: "ro-1")]
    }) { visit in
        _ = try SurveyScoring.score(visit.answers, with: survey)
    },
    requestTarget("reintegration.ClosureInput", ClosureInput.self, seeds: {
        ReintegrationOutcome.allCases.map { ClosureInput(outcome: $0, recordedBy: "ro-1") }
    }),
]
