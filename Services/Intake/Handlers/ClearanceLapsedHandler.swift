import Foundation
import GRDB
import HomewardModel
import HomewardRuntime

/// A clearance ran out before departure.
struct ClearanceLapsedHandler: EventHandler {
    func handle(_ e: ClearanceLapsed, of event: ReceivedEvent, in db: Database) throws {
        let timeline = try CaseTimeline(of: event, in: db)
        try timeline.step("clearance-lapsed", "\(e.travellerID): clearance lapsed on \(Instant.format(e.validUntil))")
    }
}
