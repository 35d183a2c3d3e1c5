import Foundation
import GRDB
import HomewardModel
import HomewardRuntime

/// A monitoring visit scored the reintegration.
struct MonitoringRecordedHandler: EventHandler {
    func handle(_ e: MonitoringRecorded, of event: ReceivedEvent, in db: Database) throws {
        let timeline = try CaseTimeline(of: event, in: db)
        try timeline.step("monitoring-recorded", "composite score \(String(format: "%.2f", e.scores.composite))", at: e.visitedAt)
    }
}
