import Foundation
import GRDB
import HomewardModel
import HomewardRuntime

/// A traveller is on a medical hold.
struct HoldPlacedHandler: EventHandler {
    func handle(_ e: HoldPlaced, of event: ReceivedEvent, in db: Database) throws {
        let timeline = try CaseTimeline(of: event, in: db)
        try timeline.step("on-hold", "\(e.travellerID): on hold until \(Instant.format(e.holdUntil))")
    }
}
