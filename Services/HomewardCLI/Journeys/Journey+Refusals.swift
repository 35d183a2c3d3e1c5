import Foundation
import HomewardModel
import ReintegrationAPI

extension Journey {
    /// Journey 10: a returnee who consented to processing but not to sharing with the
    /// reintegration partner, and who withdraws consent to processing before the screening
    /// and gives it again: health holds the case meanwhile (an exam is refused,
    /// `consent-withdrawn`), then screens. Reintegration refuses a plan over the budget
    /// (`over-budget`) and a plan naming a partner without consent to share
    /// (`consent-missing`); the person then consents, the plan is approved and a referral
    /// sent; a delivery beyond its item's planned amount is refused (`over-item`). The
    /// person withdraws consent to sharing after the referral: it is cancelled, and a
    /// delivery through the partner is refused (`consent-withdrawn`), each refusal changing
    /// nothing; the case still closes, partially completed.
    ///
    /// - Parameter seed: picks the person.
    public static func refusals(seed: Int = 0) -> Journey {
        Journey(title: "overspending and sharing without consent refused; the case closes", seed: seed) { work, run, people in
            let person = people.person("CO", sex: seed % 2 == 0 ? "female" : "male", years: 40, spread: 20, relationship: "principal", slot: 0)
            var referral = Referral.generic([person], returnCountry: "CO", returnCity: "Pereira", now: work.staff.now)
            referral.consents = [("processing", true)]
            try await work.register(referral, key: Script.key("refusals", seed: seed))
            try await work.declare()
            run.say("intake registered case \(work.caseID): \(person.name), consent to processing only (no sharing with the partner)")
            try await work.holdForConsentThenResume(work.travellers[0])
            try await work.screen(work.travellers[0])
            run.say("health cleared \(work.travellers[0]) once consent to processing was given again")
            try await work.waitUntilBookable()
            let route = Route.bogota
            let booking = try await work.bookAndConfirm(route, departing: route.departure(after: work.staff.now))
            run.say("travel booked and confirmed \(booking): \(route.description)")
            try await work.travel(booking, route: route)
            let opened = try await work.waitUntilReintegrationOpens()
            let budget = Int(opened.budget?.amountMinor ?? 0)
            run.say("reintegration opened with \(CaseWork.display(opened.budget))")

            try await work.assess()
            let partner = "Fundación Retorno Risaralda"
            let overBudget = try await run.expectRefusal("a plan over the budget", rule: "over-budget") {
                _ = try await work.staff.reintegration.plan(work.caseID, PlanInput(items: [
                    PlanItemInput(dimension: .economic, category: .businessStartUp, partner: partner, description: "coffee roasting equipment",
                                  plannedAmount: Money(amountMinor: Int64(budget), currency: "EUR")),
                    PlanItemInput(dimension: .social, category: .housing, partner: partner, description: "three months' rent",
                                  plannedAmount: Money(amountMinor: 60_000, currency: "EUR")),
                ]))
            }
            let equipment = 100_000, rent = budget - equipment
            let items: [CaseWork.PlanItem] = [
                .init(dimension: .economic, category: .businessStartUp, partner: partner, description: "coffee roasting equipment", amountMinor: equipment),
                .init(dimension: .social, category: .housing, partner: partner, description: "three months' rent", amountMinor: rent),
            ]
            let noConsent = try await run.expectRefusal("a plan naming a partner without consent to share", rule: "consent-missing") {
                _ = try await work.staff.reintegration.plan(work.caseID, PlanInput(items: items.map {
                    PlanItemInput(dimension: $0.dimension, category: $0.category, partner: $0.partner, description: $0.description,
                                  plannedAmount: Money(amountMinor: Int64($0.amountMinor), currency: "EUR"))
                }))
            }
            try await run.verify("reintegration: the refused plans left no plan behind") {
                try await work.reintegrationCase().plan == nil ? nil : "a plan is recorded after the refusals"
            }
            run.say("plans refused: over the budget (\(overBudget.rule ?? "-")), naming the partner without consent (\(noConsent.rule ?? "-"))")
            try await work.consent(.sharingWithReintegrationPartner, granted: true)
            try await work.submitPlan(items, currency: "EUR")
            try await work.approvePlan()
            try await work.refer(to: "fundacion-retorno-risaralda", for: .businessStartUp)
            run.say("the person consented to sharing with the partner: plan within the budget approved by a supervisor, referral sent")

            let overItem = try await run.expectRefusal("a delivery beyond the item's planned amount", rule: "over-item") {
                _ = try await work.staff.reintegration.disburse(work.caseID, DisbursementInput(
                    itemID: PlanItemID("\(work.caseID)-I1"), delivered: "roaster, grinder and a second roaster", partner: partner,
                    deliveredAt: work.staff.now, value: Money(amountMinor: Int64(equipment + 25_000), currency: "EUR")))
            }
            try await work.disburse(item: PlanItemID("\(work.caseID)-I1"), delivered: "coffee roaster and grinder", partner: partner, amountMinor: equipment, currency: "EUR")
            run.say("overspending on an item refused (\(overItem.rule ?? "-")); the equipment delivered")

            try await work.consent(.sharingWithReintegrationPartner, granted: false)
            try await run.verify("reintegration: the referral is cancelled once consent to share is withdrawn") {
                let statuses = try await work.reintegrationCase().referrals.map(\.status.rawValue)
                return statuses == ["cancelled"] ? nil : "referrals \(statuses)"
            }
            let withdrawn = try await run.expectRefusal("a delivery through the partner after the withdrawal", rule: "consent-withdrawn") {
                _ = try await work.staff.reintegration.disburse(work.caseID, DisbursementInput(
                    itemID: PlanItemID("\(work.caseID)-I2"), delivered: "first month's rent", partner: partner,
                    deliveredAt: work.staff.now, value: Money(amountMinor: 20_000, currency: "EUR")))
            }
            try await work.close(.partiallyCompleted)
            run.say("consent to share withdrawn: referral cancelled, a delivery refused (\(withdrawn.rule ?? "-")); case closed, partially completed")

            try await run.verify("reintegration: closed partially completed, EUR \(equipment) of EUR \(budget) disbursed, the referral cancelled") {
                let view = try await work.reintegrationCase()
                return CaseWork.firstDifference([
                    ("status", view.status, "closed"), ("outcome", view.outcome?.rawValue ?? "-", "partially-completed"),
                    ("disbursed", CaseWork.money(view.disbursed), "EUR \(equipment)"), ("ledger entries", "\(view.ledger.count)", "1"),
                    ("referrals", view.referrals.map(\.status.rawValue).joined(separator: " "), "cancelled"),
                ])
            }
            try await work.verifyIntake(status: "closed", stage: "closed", timeline: [
                "registered", "consent-changed", "eligibility-decided", "counselling", "declaration-recorded", "ready-for-screening",
                "screening-opened", "consent-changed", "consent-changed", "cleared", "booking-proposed", "booked", "pre-embarkation-check", "departed", "arrived",
                "reintegration-opened", "consent-changed", "plan-approved", "disbursed", "consent-changed", "closed",
            ]) { view in
                let sharing = view.consents.first { $0.purpose == .sharingWithReintegrationPartner }
                return sharing?.granted == false ? nil : "intake shows no withdrawn sharing consent"
            }
            try await work.verifyHealth(work.travellers[0], status: "departed", screenings: [(.initial, "cleared")], preEmbarkation: [(booking, "done")])
            try await work.verifyTravel(status: "arrived", bookable: false, bookings: [(booking, "arrived", nil)])
        }
    }
}
