import Foundation
import HomewardModel
import ReintegrationAPI

extension Journey {
    /// Journey 10: a returnee who consented to processing but not to sharing with the
    /// reintegration partner, and who withdraws consent to processing before the screening
    /// and gives it again: health holds the case meanwhile (an exam is refused,
    /// `consent-withdrawn`), then screens. Reintegration refuses a plan over the budget (`over-budget`),
    /// a referral to the partner (`consent-missing`) and a delivery beyond its item's planned
    /// amount (`over-item`), each changing nothing; the case still closes, partially completed.
    ///
    /// - Parameter seed: picks the person.
    public static func refusals(seed: Int = 0) -> Journey {
        Journey(title: "overspending and a missing sharing consent refused; the case closes", seed: seed) { work, run, people in
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
            try await run.verify("reintegration: the refused plan left no plan behind") {
                try await work.reintegrationCase().plan == nil ? nil : "a plan is recorded after the refusal"
            }
            let equipment = 100_000, rent = budget - equipment
            try await work.submitPlan([
                .init(dimension: .economic, category: .businessStartUp, partner: partner, description: "coffee roasting equipment", amountMinor: equipment),
                .init(dimension: .social, category: .housing, partner: partner, description: "three months' rent", amountMinor: rent),
            ], currency: "EUR")
            try await work.approvePlan()
            run.say("plan over the budget refused (\(overBudget.rule ?? "-")); a plan within it approved by a supervisor")

            let noConsent = try await run.expectRefusal("a referral without consent to share", rule: "consent-missing") {
                _ = try await work.staff.reintegration.refer(work.caseID, ReferralInput(partnerID: "fundacion-retorno-risaralda", service: .businessStartUp))
            }
            let overItem = try await run.expectRefusal("a delivery beyond the item's planned amount", rule: "over-item") {
                _ = try await work.staff.reintegration.disburse(work.caseID, DisbursementInput(
                    itemID: PlanItemID("\(work.caseID)-I1"), delivered: "roaster, grinder and a second roaster", partner: partner,
                    deliveredAt: work.staff.now, value: Money(amountMinor: Int64(equipment + 25_000), currency: "EUR")))
            }
            try await run.verify("reintegration: the refusals changed nothing (no referral, no ledger entry)") {
                let view = try await work.reintegrationCase()
                return CaseWork.firstDifference([("referrals", "\(view.referrals.count)", "0"), ("ledger entries", "\(view.ledger.count)", "0"),
                                                 ("disbursed", CaseWork.money(view.disbursed), "EUR 0")])
            }
            run.say("referral refused (\(noConsent.rule ?? "-")), overspending on an item refused (\(overItem.rule ?? "-"))")
            try await work.disburse(item: PlanItemID("\(work.caseID)-I1"), delivered: "coffee roaster and grinder", partner: partner, amountMinor: equipment, currency: "EUR")
            try await work.close(.partiallyCompleted)
            run.say("the equipment delivered; case closed, partially completed")

            try await run.verify("reintegration: closed partially completed, EUR \(equipment) of EUR \(budget) disbursed, no referral") {
                let view = try await work.reintegrationCase()
                return CaseWork.firstDifference([
                    ("status", view.status, "closed"), ("outcome", view.outcome?.rawValue ?? "-", "partially-completed"),
                    ("disbursed", CaseWork.money(view.disbursed), "EUR \(equipment)"), ("referrals", "\(view.referrals.count)", "0"),
                ])
            }
            try await work.verifyIntake(status: "closed", stage: "closed", timeline: [
                "registered", "consent-changed", "eligibility-decided", "counselling", "declaration-recorded", "ready-for-screening",
                "screening-opened", "consent-changed", "consent-changed", "cleared", "booking-proposed", "booked", "pre-embarkation-check", "departed", "arrived",
                "reintegration-opened", "plan-approved", "disbursed", "closed",
            ]) { view in
                let sharing = view.consents.contains { $0.purpose == .sharingWithReintegrationPartner }
                return sharing ? "intake shows a sharing consent" : nil
            }
            try await work.verifyHealth(work.travellers[0], status: "departed", screenings: [(.initial, "cleared")], preEmbarkation: [(booking, "done")])
            try await work.verifyTravel(status: "arrived", bookable: false, bookings: [(booking, "arrived", nil)])
        }
    }
}
