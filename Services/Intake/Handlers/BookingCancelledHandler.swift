import Foundation
import GRDB
import HomewardModel
import HomewardRuntime

/// A booking was cancelled.
struct BookingCancelledHandler: EventHandler {
    func handle(_ e: BookingCancelled, of event: ReceivedEvent, in db: Database) throws {
        let timeline = try CaseTimeline(of: event, in: db)
        try timeline.step("booking-cancelled", "\(e.bookingID): \(e.reason.rawValue)")
        try timeline.recordBooking(e.bookingID, status: "cancelled")
    }
}
