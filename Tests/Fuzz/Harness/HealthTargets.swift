import Foundation
import HomewardModel
@testable import HealthScreening
import HealthScreeningAPI

// Health screening's request bodies (TravellersController). What the workflow checks next
// reads the traveller's screening from the store, so these targets stop at the decoder.

let healthTargets: [FuzzTarget] = [
    requestTarget("health.ExamInput", ExamInput.self, seeds: {
        [ExamInput(examinedOn: LocalDate("2026-11-20")!, results: ["chest-x-ray": "no active TB", "hiv": "non-reactive"],
                   notes: "fit; follow-up in 6 months", conditions: ["asthma"], recordedBy: "ho-1"),
         ExamInput(examinedOn: LocalDate("2026-11-20")!, results: [:], notes: nil, conditions: nil, recordedBy: "ho-1")]
    }),
    requestTarget("health.FitnessInput", FitnessInput.self, seeds: {
        [FitnessInput(outcome: .cleared, travelRequirements: nil, holdUntil: nil, recordedBy: "ho-1", checkedAt: nil),
         FitnessInput(outcome: .clearedWithRequirements, travelRequirements: [.oxygen, .medicalEscort, .wheelchair],
                      holdUntil: nil, recordedBy: "ho-1", checkedAt: Instant.parse("2026-11-22T08:15:00.000Z")!),
         FitnessInput(outcome: .onHold, travelRequirements: [], holdUntil: Instant.parse("2026-12-06T00:00:00.000Z")!,
                      recordedBy: "ho-2", checkedAt: nil)]
    }),
    requestTarget("health.RescreenInput", RescreenInput.self, seeds: { [RescreenInput(recordedBy: "ho-1")] }),
]
