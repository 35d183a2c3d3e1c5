import Foundation
import GRDB
import HomewardModel
import HomewardRuntime

/// The travellers arrived in the country of return.
struct ArrivedHandler: EventHandler {
    func handle(_ e: Arrived, of event: ReceivedEvent, in db: Database) throws {
        let timeline = try CaseTimeline(of: event, in: db)
        try timeline.step("arrived", "\(e.travellerIDs.count) arrived at \(e.arrivalAirport), \(e.returnCountry)", at: e.arrivedAt)
        try timeline.recordBooking(e.bookingID, status: "arrived")
    }
}
