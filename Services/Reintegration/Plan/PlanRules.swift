import Foundation
import HomewardModel
import HomewardRuntime
import ReintegrationAPI

/// What a plan and the deliveries against it must be, apart from the store: the plan's
/// versions and their tags, what a plan holds, and what a delivery against an item may be.
/// Amounts are integer minor units in the budget's currency.
enum PlanRules {
    /// A plan version's entity tag, quoted as HTTP writes it.
    static func etag(version: Int64) -> String { "\"plan-v\(version)\"" }

    /// With `ifMatch` (the `If-Match` header: tags separated by commas, or `*`), a plan may be
    /// replaced only in the version the caller read, so that two officers cannot overwrite
    /// each other unknowingly; `version` is the current plan's, nil when there is none.
    static func check(ifMatch: String?, version: Int64?) throws(ReintegrationRefusal) {
        guard let ifMatch else { return }
        let wanted = ifMatch.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let version, wanted.contains("*") || wanted.contains(etag(version: version)) else {
            throw .planChanged(currentETag: version.map { etag(version: $0) })
        }
    }

    /// A plan builds on all four assessments: those not `done` yet, in their order.
    static func missingAssessments(done: [AssessmentKind]) -> [AssessmentKind] {
        AssessmentKind.allCases.filter { !done.contains($0) }
    }

    /// A plan has at least one item; each names its partner and what it is, plans a positive
    /// amount in the budget's currency; together they fit the budget. Throws the first
    /// broken, item by item.
    static func check(_ items: [PlanItemInput], budget: Int64, currency: String) throws {
        guard !items.isEmpty else { throw ReintegrationRefusal.noItems }
        var total: Int64 = 0
        for (i, item) in items.enumerated() {
            guard !item.partner.isBlank else { throw ReintegrationRefusal.itemWithoutPartner(item: i) }
            try BlankField.check(item.description, at: "/items/\(i)/description")
            guard item.plannedAmount.currency == currency else { throw ReintegrationRefusal.itemCurrencyMismatch(item: i, budgetCurrency: currency) }
            guard item.plannedAmount.amountMinor > 0 else { throw ReintegrationRefusal.itemAmountNotPositive(item: i) }
            total += item.plannedAmount.amountMinor
        }
        guard total <= budget else { throw ReintegrationRefusal.overBudget(total: total, budget: budget) }
    }

    /// A delivery has a positive value in the budget's currency, and took place after the
    /// arrival and not after `now`.
    static func checkDelivery(_ value: Money, deliveredAt: Date, currency: String, arrivedAt: Date, now: Date) throws(ReintegrationRefusal) {
        guard value.currency == currency else { throw .deliveryCurrencyMismatch(budgetCurrency: currency) }
        guard value.amountMinor > 0 else { throw .deliveryAmountNotPositive }
        guard deliveredAt <= now else { throw .deliveryInFuture }
        guard deliveredAt >= arrivedAt else { throw .deliveryBeforeArrival }
    }

    /// An item's deliveries add up to its planned amount at most. There is no budget check:
    /// an approved plan fits the budget and is never edited, so the items' limits keep the
    /// case within it.
    static func checkItemLimit(planned: Int64, disbursed: Int64, value: Int64) throws(ReintegrationRefusal) {
        guard disbursed + value <= planned else { throw .overItem(left: planned - disbursed, planned: planned, value: value) }
    }
}
