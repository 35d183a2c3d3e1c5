/// A booking was cancelled.
///
/// Consumers: health screening (drops pending pre-embarkation checks for it),
/// reintegration (no reception for it), intake (timeline).
public struct BookingCancelled: EventPayload {
    public static let eventType = EventType("travel-booking.booking-cancelled", major: 1)

    public var bookingID: BookingID
    public var reason: BookingCancellationReason

    public init(bookingID: BookingID, reason: BookingCancellationReason) {
        self.bookingID = bookingID
        self.reason = reason
    }
}
