import Foundation
import GRDB
import HomewardModel
import HomewardRuntime

/// The check before departure is done.
struct PreEmbarkationCheckDoneHandler: EventHandler {
    func handle(_ e: PreEmbarkationCheckDone, of event: ReceivedEvent, in db: Database) throws {
        let timeline = try CaseTimeline(of: event, in: db)
        try timeline.step("pre-embarkation-check", "\(e.travellerID): \(e.outcome.rawValue)")
    }
}
