public import Foundation

/// The family departed: the manifest was confirmed at departure.
///
/// Consumers: health screening (a clearance can no longer lapse before departure),
/// intake (timeline; a withdrawal is no longer possible; 5W counts persons, so the
/// boarded travellers are listed).
public struct Departed: EventPayload {
    public static let eventType = EventType("travel-booking.departed", major: 1)

    public var bookingID: BookingID
    /// Actual departure of the first segment.
    public var departedAt: Date
    /// The travellers who boarded.
    public var travellerIDs: [TravellerID]
    /// Travellers on the booking who did not board. Normally empty: the family stays
    /// together, so a no-show usually holds or cancels the booking instead (reason
    /// `noShow`).
    public var noShowTravellerIDs: [TravellerID]

    public init(bookingID: BookingID, departedAt: Date, travellerIDs: [TravellerID], noShowTravellerIDs: [TravellerID] = []) {
        self.bookingID = bookingID
        self.departedAt = departedAt
        self.travellerIDs = travellerIDs
        self.noShowTravellerIDs = noShowTravellerIDs
    }
}
