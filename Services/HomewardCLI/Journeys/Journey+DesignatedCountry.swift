import Foundation
import HomewardModel
import ReintegrationAPI
import TravelBookingAPI

extension Journey {
    /// Journey 3: a claimant from a designated country of origin under the Canadian GTA pilot
    /// (`immigration.designatedCountryOfOrigin` true): eligible at the lower tier, whose budget
    /// (CAD 500, the programme file's `designated-country-of-origin` tier) is the budget
    /// reintegration opens with and enforces; the case closes within it.
    ///
    /// - Parameter seed: picks the person and the referral day inside the pilot's window.
    public static func designatedCountry(seed: Int = 0) -> Journey {
        Journey(title: "designated country of origin: lower tier carried to reintegration", seed: seed) { work, run, people in
            let person = people.person("HU", sex: seed % 2 == 0 ? "female" : "male", years: 22, spread: 30, relationship: "principal", slot: 0)
            var referral = Referral.canadaPilot([person], returnCountry: "HU", returnCity: "Miskolc", seed: seed)
            referral.designatedCountryOfOrigin = true
            let registered = try await work.register(referral, key: Script.key("designated-country", seed: seed))
            let decision = registered.eligibility
            let lowerTier = "CAD \(ProgrammeFacts.pilotDesignatedCountryBudgetMinor)"
            try run.check("intake: eligible under the pilot at the designated-country-of-origin tier, \(lowerTier)", CaseWork.firstDifference([
                ("eligible", "\(decision?.eligible ?? false)", "true"),
                ("tier", decision?.assistance?.tier.rawValue ?? "-", "designated-country-of-origin"),
                ("budget", CaseWork.money(decision?.assistance?.budget), lowerTier),
                ("flags", (decision?.flags ?? []).map(\.rawValue).joined(separator: ","), ""),
            ]))
            try await work.declare()
            run.say("intake registered case \(work.caseID) under the Canadian pilot: \(person.name), designated country of origin, "
                    + "eligible at the lower tier (CAD \(ProgrammeFacts.pilotDesignatedCountryBudgetMinor / 100))")

            let tests = try await work.screen(work.travellers[0])
            run.say("health screened \(work.travellers[0]) (\(tests.joined(separator: ", "))): cleared")
            try await work.waitUntilBookable()
            let route = Route.budapest
            let departure = route.departure(after: work.staff.now)
            // The pilot's departure target (30 days after the decision) has long passed.
            try await run.expectRefusal("book without saying why the departure is late", rule: "after-target-date") {
                _ = try await work.staff.travel.propose(work.caseID, BookingRequest(travellerIDs: work.travellers, segments: route.segments(departing: departure)))
            }
            let booking = try await work.book(route, departing: departure,
                                              lateDepartureReason: "travel document issued late by the consulate")
            let bookingID = booking.bookingID
            try await work.confirm(bookingID)
            run.say("travel refused a late departure without a reason (after-target-date), then booked and confirmed \(bookingID): \(route.description)")
            try await work.travel(bookingID, route: route)

            let opened = try await work.waitUntilReintegrationOpens()
            try run.check("reintegration: opened with intake's lower-tier budget, \(lowerTier)", CaseWork.firstDifference([
                ("budget", CaseWork.money(opened.budget), lowerTier),
                ("intake's budget", CaseWork.money(decision?.assistance?.budget), CaseWork.money(opened.budget)),
            ]))
            run.say("reintegration opened with the lower tier's budget, \(CaseWork.display(opened.budget))")
            try await work.assess()
            let partner = "Autonómia Alapítvány"
            try await run.expectRefusal("a plan at the full tier's CAD 2,000", rule: "over-budget") {
                _ = try await work.staff.reintegration.plan(work.caseID, PlanInput(items: [
                    PlanItemInput(dimension: .economic, category: .businessStartUp, partner: partner, description: "tools for a repair workshop",
                                  plannedAmount: Money(amountMinor: Int64(ProgrammeFacts.pilotFullBudgetMinor), currency: "CAD")),
                ]))
            }
            let placement = 30_000, counselling = ProgrammeFacts.pilotDesignatedCountryBudgetMinor - placement
            try await work.submitPlan([
                .init(dimension: .economic, category: .jobPlacement, partner: partner, description: "placement with a local employer, first month's travel pass",
                      amountMinor: placement),
                .init(dimension: .psychosocial, category: .psychosocialSupport, partner: partner, description: "four counselling sessions",
                      amountMinor: counselling),
            ], currency: "CAD")
            try await work.approvePlan()
            try await work.refer(to: "autonomia-alapitvany", for: .jobPlacement, steps: [.accepted])
            try await work.disburse(item: PlanItemID("\(work.caseID)-I1"), delivered: "job placement and monthly travel pass", partner: partner,
                                    amountMinor: placement, currency: "CAD")
            try await work.disburse(item: PlanItemID("\(work.caseID)-I2"), delivered: "four counselling sessions", partner: partner,
                                    amountMinor: counselling, currency: "CAD")
            try await work.close(.completed)
            run.say("a plan at the full tier's CAD 2,000 refused (over-budget); a CAD 500 plan approved, delivered in full, case closed")

            try await work.verifyIntake(status: "closed", stage: "closed", timeline: [
                "registered", "consent-changed", "consent-changed", "eligibility-decided", "counselling", "declaration-recorded", "ready-for-screening",
                "screening-opened", "cleared", "booking-proposed", "booked", "orientation", "pre-embarkation-check", "departed", "arrived",
                "reintegration-opened", "plan-approved", "disbursed", "disbursed", "closed",
            ]) { view in
                CaseWork.firstDifference([("intake's tier", view.eligibility?.assistance?.tier.rawValue ?? "-", "designated-country-of-origin")])
            }
            try await work.verifyHealth(work.travellers[0], status: "departed", screenings: [(.initial, "cleared")], preEmbarkation: [(bookingID, "done")])
            try await work.verifyTravel(status: "arrived", bookable: false, bookings: [(bookingID, "arrived", nil)])
            try await run.verify("reintegration: closed with \(lowerTier) budgeted and disbursed") {
                let view = try await work.reintegrationCase()
                return CaseWork.firstDifference([
                    ("status", view.status, "closed"),
                    ("budget", CaseWork.money(view.budget), lowerTier),
                    ("disbursed", CaseWork.money(view.disbursed), lowerTier),
                ])
            }
        }
    }
}
