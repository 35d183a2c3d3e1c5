public import Foundation

/// A traveller's clearance ran out before departure; a re-screen is needed.
///
/// Consumers: travel booking (puts the booking on hold), intake (timeline).
public struct ClearanceLapsed: EventPayload {
    public static let eventType = EventType("health-screening.clearance-lapsed", major: 1)

    public var travellerID: TravellerID
    /// The end of the lapsed window, naming which clearance lapsed.
    public var validUntil: Date

    public init(travellerID: TravellerID, validUntil: Date) {
        self.travellerID = travellerID
        self.validUntil = validUntil
    }
}
