import Foundation
import GRDB
import HomewardModel
import HomewardRuntime

/// The family's itinerary is confirmed.
struct BookingConfirmedHandler: EventHandler {
    func handle(_ e: BookingConfirmed, of event: ReceivedEvent, in db: Database) throws {
        let timeline = try CaseTimeline(of: event, in: db)
        try timeline.step("booked", "\(e.bookingID): \(e.travellerIDs.count) travellers, departs \(Instant.format(e.departureAt))")
        try timeline.recordBooking(e.bookingID, status: "confirmed")
        try timeline.advance(to: .travel)
    }
}
