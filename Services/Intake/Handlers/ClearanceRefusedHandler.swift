import Foundation
import GRDB
import HomewardModel
import HomewardRuntime

/// A traveller was found not fit to travel.
struct ClearanceRefusedHandler: EventHandler {
    func handle(_ e: ClearanceRefused, of event: ReceivedEvent, in db: Database) throws {
        let timeline = try CaseTimeline(of: event, in: db)
        try timeline.step("not-cleared", "\(e.travellerID): not cleared to travel")
    }
}
