import Foundation
import HomewardModel

/// Fixed values for the events' ``ExampleEvent/examples``. Instants are whole
/// milliseconds, so that they survive the JSON round trip.
enum Example {
    static func instant(_ text: String) -> Date {
        guard let date = Instant.parse(text) else { preconditionFailure("bad example instant \(text)") }
        return date
    }

    static func cad(_ dollars: Int64, cents: Int64 = 0) -> Money {
        Money(amountMinor: dollars * 100 + cents, currency: "CAD")
    }

    static let principal: TravellerID = "trv-0001"
    static let spouse: TravellerID = "trv-0002"
    static let child: TravellerID = "trv-0003"
    static let booking: BookingID = "bkg-0001"
    static let rebooking: BookingID = "bkg-0002"
}
