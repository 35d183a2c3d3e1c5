public import Foundation

/// The family arrived in the country of return.
///
/// Consumers: reintegration (opens the reintegration case; reception at the airport),
/// intake (timeline, Humanitarian Transportation reporting).
public struct Arrived: EventPayload {
    public static let eventType = EventType("travel-booking.arrived", major: 1)

    public var bookingID: BookingID
    /// Actual arrival of the last segment.
    public var arrivedAt: Date
    /// IATA code of the arrival airport.
    public var arrivalAirport: String
    /// ISO 3166-1 alpha-2 code of the country arrived in.
    public var returnCountry: String
    /// The travellers who arrived.
    public var travellerIDs: [TravellerID]

    public init(bookingID: BookingID, arrivedAt: Date, arrivalAirport: String, returnCountry: String, travellerIDs: [TravellerID]) {
        self.bookingID = bookingID
        self.arrivedAt = arrivedAt
        self.arrivalAirport = arrivalAirport
        self.returnCountry = returnCountry
        self.travellerIDs = travellerIDs
    }
}
