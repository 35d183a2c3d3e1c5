import Foundation
import GRDB
import HomewardModel
import HomewardRuntime

/// Reintegration closed: the case has ended.
struct ReintegrationClosedHandler: EventHandler {
    func handle(_ e: ReintegrationClosed, of event: ReceivedEvent, in db: Database) throws {
        let timeline = try CaseTimeline(of: event, in: db)
        try timeline.step("closed", "\(e.outcome.rawValue), \(CaseTimeline.format(e.totalDisbursed)) disbursed")
        try CaseRepository.close(event.caseID, now: event.time, in: db)
    }
}
