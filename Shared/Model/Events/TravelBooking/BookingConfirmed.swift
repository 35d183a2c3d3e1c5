public import Foundation

/// The itinerary is confirmed: every traveller is cleared for the departure and holds a
/// valid travel document.
///
/// Consumers: health screening (the pre-embarkation check is due 24 to 72 hours before
/// `departureAt`), reintegration (prepares reception at the arrival airport), intake
/// (timeline).
public struct BookingConfirmed: EventPayload {
    public static let eventType = EventType("travel-booking.booking-confirmed", major: 1)

    public var bookingID: BookingID
    public var travellerIDs: [TravellerID]
    /// Scheduled departure of the first segment.
    public var departureAt: Date
    /// Scheduled arrival of the last segment.
    public var arrivalAt: Date
    /// IATA code of the final arrival airport, where reception meets the family.
    public var arrivalAirport: String
    /// IATA flight number of the last segment (for reception), for example `AM681`.
    public var arrivalFlightNumber: String

    public init(bookingID: BookingID, travellerIDs: [TravellerID], departureAt: Date, arrivalAt: Date, arrivalAirport: String, arrivalFlightNumber: String) {
        self.bookingID = bookingID
        self.travellerIDs = travellerIDs
        self.departureAt = departureAt
        self.arrivalAt = arrivalAt
        self.arrivalAirport = arrivalAirport
        self.arrivalFlightNumber = arrivalFlightNumber
    }
}
