import Foundation
import GRDB
import HomewardModel
import HomewardRuntime

/// A booking waits (a lapse, a hold, a no-show).
struct BookingOnHoldHandler: EventHandler {
    func handle(_ e: BookingOnHold, of event: ReceivedEvent, in db: Database) throws {
        let timeline = try CaseTimeline(of: event, in: db)
        try timeline.step("booking-on-hold", "\(e.bookingID): \(e.reason.rawValue)")
        try timeline.recordBooking(e.bookingID, status: "on-hold")
    }
}
