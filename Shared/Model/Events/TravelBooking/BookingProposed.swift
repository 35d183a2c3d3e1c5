public import Foundation

/// A movement officer proposed an itinerary for the whole family.
///
/// Consumers: health screening (schedules the pre-embarkation check against the
/// departure time), intake (timeline). Segments, flights and booking items stay in travel.
public struct BookingProposed: EventPayload {
    public static let eventType = EventType("travel-booking.booking-proposed", major: 1)

    public var bookingID: BookingID
    /// Every traveller of the family (a booking never splits it).
    public var travellerIDs: [TravellerID]
    /// Scheduled departure of the first segment.
    public var departureAt: Date
    /// Scheduled arrival of the last segment.
    public var arrivalAt: Date
    /// The booking this one replaces, when it is a rebooking (that one is cancelled
    /// with reason `rebooked`).
    public var rebookingOf: BookingID?

    public init(bookingID: BookingID, travellerIDs: [TravellerID], departureAt: Date, arrivalAt: Date, rebookingOf: BookingID? = nil) {
        self.bookingID = bookingID
        self.travellerIDs = travellerIDs
        self.departureAt = departureAt
        self.arrivalAt = arrivalAt
        self.rebookingOf = rebookingOf
    }
}
