import Foundation
import GRDB
import HomewardModel
import HomewardRuntime

/// A traveller was cleared to travel, with any travel requirements.
struct ClearanceIssuedHandler: EventHandler {
    func handle(_ e: ClearanceIssued, of event: ReceivedEvent, in db: Database) throws {
        let timeline = try CaseTimeline(of: event, in: db)
        let needs = e.travelRequirements.isEmpty ? "" : " (\(e.travelRequirements.map(\.rawValue).joined(separator: ", ")))"
        try timeline.step("cleared", "\(e.travellerID): \(e.outcome.rawValue)\(needs), valid until \(Instant.format(e.validUntil))")
    }
}
