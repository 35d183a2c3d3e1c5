import Foundation
import GRDB
import HomewardModel
import HomewardRuntime

/// The reintegration plan was approved.
struct PlanApprovedHandler: EventHandler {
    func handle(_ e: PlanApproved, of event: ReceivedEvent, in db: Database) throws {
        let timeline = try CaseTimeline(of: event, in: db)
        let total = e.items.reduce(Int64(0)) { $0 + $1.plannedAmount.amountMinor }
        let currency = e.items.first?.plannedAmount.currency ?? ""
        try timeline.step("plan-approved", "\(e.items.count) items, \(CaseTimeline.format(Money(amountMinor: total, currency: currency)))")
    }
}
