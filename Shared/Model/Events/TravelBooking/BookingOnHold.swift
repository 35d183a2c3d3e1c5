public import Foundation

/// A booking was put on hold; it is rebooked (a new ``BookingProposed``) or cancelled.
///
/// Consumers: health screening (re-screens the listed travellers after a lapse or a hold;
/// drops pending pre-embarkation checks), reintegration (no longer expects the family on
/// it), intake (timeline, why the case waits).
public struct BookingOnHold: EventPayload {
    public static let eventType = EventType("travel-booking.booking-on-hold", major: 1)

    public var bookingID: BookingID
    public var reason: BookingHoldReason
    /// The travellers the hold is about (whose clearance lapsed, who did not show, ...);
    /// empty when it concerns the booking as a whole (`scheduleChange`).
    public var travellerIDs: [TravellerID]
    /// The earliest instant the family can be rebooked for, when known (a health hold).
    public var holdUntil: Date?

    public init(bookingID: BookingID, reason: BookingHoldReason, travellerIDs: [TravellerID] = [], holdUntil: Date? = nil) {
        self.bookingID = bookingID
        self.reason = reason
        self.travellerIDs = travellerIDs
        self.holdUntil = holdUntil
    }
}
