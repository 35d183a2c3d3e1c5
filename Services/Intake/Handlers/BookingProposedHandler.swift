import Foundation
import GRDB
import HomewardModel
import HomewardRuntime

/// Travel proposed an itinerary: the case is in travel.
struct BookingProposedHandler: EventHandler {
    func handle(_ e: BookingProposed, of event: ReceivedEvent, in db: Database) throws {
        let timeline = try CaseTimeline(of: event, in: db)
        try timeline.step("booking-proposed", "\(e.bookingID): departs \(Instant.format(e.departureAt))" + (e.rebookingOf.map { ", rebooking \($0)" } ?? ""))
        try timeline.recordBooking(e.bookingID, status: "proposed")
        try timeline.advance(to: .travel)
    }
}
