import Foundation
import GRDB
import HomewardModel
import HomewardRuntime

/// Assistance was delivered, or a delivery reversed.
struct AssistanceDisbursedHandler: EventHandler {
    func handle(_ e: AssistanceDisbursed, of event: ReceivedEvent, in db: Database) throws {
        let timeline = try CaseTimeline(of: event, in: db)
        let what = e.reverses.map { "reversed \($0)" } ?? "disbursed"
        try timeline.step("disbursed", "\(e.category.rawValue): \(what) \(CaseTimeline.format(e.value))", at: e.deliveredAt)
    }
}
