import Foundation
import GRDB
import HomewardModel
import HomewardRuntime

/// The family boarded (or did not): a departure ends withdrawal and is a transport activity.
struct DepartedHandler: EventHandler {
    func handle(_ e: Departed, of event: ReceivedEvent, in db: Database) throws {
        let timeline = try CaseTimeline(of: event, in: db)
        let noShows = e.noShowTravellerIDs.isEmpty ? "" : ", no-shows: \(e.noShowTravellerIDs.map(\.rawValue).joined(separator: ", "))"
        try timeline.step("departed", "\(e.bookingID): \(e.travellerIDs.count) boarded\(noShows)", at: e.departedAt)
        guard !e.travellerIDs.isEmpty else { return }
        try timeline.recordBooking(e.bookingID, status: "departed")
        try timeline.markDeparted(at: e.departedAt)
        try timeline.advance(to: .departed)
        try timeline.recordActivity(of: e.travellerIDs, in: .humanitarianTransportation, at: e.departedAt)
    }
}
