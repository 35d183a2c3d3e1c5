import Foundation
import HomewardModel
import TravelBookingAPI

extension Journey {
    /// Journey 4: an abandoned claim under the Canadian GTA pilot, which refuses withdrawn or
    /// abandoned claims. Intake decides "not eligible", naming the rule; with consent and the
    /// declaration recorded all the same, nothing downstream opens: no screening in health,
    /// travel says not bookable (and refuses a booking), reintegration never opens the case.
    ///
    /// Absence is checked once intake's own record is final, showing it never announced the
    /// case ready for screening (its events are written in the same transaction as its
    /// state), and after travel has shown the registration, over ``Timing/absenceWindow``.
    ///
    /// - Parameter seed: picks the people and the referral day inside the pilot's window.
    public static func abandonedClaim(seed: Int = 0) -> Journey {
        Journey(title: "abandoned claim: not eligible, nothing downstream", seed: seed) { work, run, people in
            let family = [
                people.person("HN", sex: "male", years: 26, spread: 20, relationship: "principal", slot: 0),
                people.person("HN", sex: "female", years: 24, spread: 20, relationship: "spouse-or-partner", slot: 1),
            ]
            var referral = Referral.canadaPilot(family, returnCountry: "HN", returnCity: "San Pedro Sula", seed: seed)
            referral.claimWithdrawnOrAbandoned = true
            let registered = try await work.register(referral, key: Script.key("abandoned-claim", seed: seed))
            let failed = (registered.eligibility?.reasons ?? []).filter { !$0.passed }.map(\.rule)
            try run.check("intake: not eligible, rule claim-not-withdrawn-or-abandoned (the only one failed)", CaseWork.firstDifference([
                ("status", registered.status.rawValue, "not-eligible"),
                ("eligible", "\(registered.eligibility?.eligible ?? true)", "false"),
                ("failed rules", failed.joined(separator: ","), "claim-not-withdrawn-or-abandoned"),
                ("assistance", registered.eligibility?.assistance == nil ? "none" : "granted", "none"),
            ]))
            run.say("intake registered case \(work.caseID): not eligible under the pilot (claim-not-withdrawn-or-abandoned)")
            try await work.declare()
            run.say("declaration recorded all the same: the case stays not eligible")

            try await work.verifyIntake(status: "not-eligible", stage: "intake", timeline: [
                "registered", "consent-changed", "consent-changed", "eligibility-decided", "counselling", "declaration-recorded",
            ]) { view in
                view.readyForScreeningAt.map { "intake made the case ready for screening at \(Instant.format($0))" }
            }
            // Travel has the registration (and the decision, published with it).
            try await work.verifyTravel(status: "active", bookable: false, bookings: []) { view in
                let reasons = view.notBookableBecause
                if reasons.contains(where: { $0.contains("registration has not reached") }) { return "travel has not had the registration yet" }
                return reasons.contains { $0.contains("not (yet) eligible") } ? nil : "travel's reasons do not include eligibility: \(reasons)"
            }
            try await run.verifyAbsence("health: no screening for \(work.travellers.map(\.rawValue).joined(separator: ", ")) (404); reintegration: no open case") {
                for traveller in work.travellers where try await work.staff.health.travellerIfPresent(traveller) != nil {
                    return "health opened a screening for \(traveller)"
                }
                if let view = try await work.staff.reintegration.caseIfPresent(work.caseID), view.status != "pending" || view.openedAt != nil {
                    return "reintegration shows the case \(view.status)"
                }
                return nil
            }
            let route = Route.sanPedroSula
            try await run.expectRefusal("book the family", rule: "not-bookable") {
                _ = try await work.staff.travel.propose(work.caseID, BookingRequest(travellerIDs: work.travellers,
                                                                                    segments: route.segments(departing: route.departure(after: work.staff.now))))
            }
            try run.check("travel: a booking is refused as not-bookable", nil)
            run.say("nothing opened downstream: no screening, not bookable (a booking refused), no reintegration case")
        }
    }
}
