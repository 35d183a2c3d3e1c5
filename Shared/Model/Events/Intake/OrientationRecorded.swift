public import Foundation

/// A traveller's pre-departure orientation is recorded (what happens at arrival, the
/// reintegration assistance, contacts): when it was held, never what was said.
///
/// Consumers: travel booking (a traveller whose orientation the programme requires,
/// ``OrientationRequired``, boards only once it is recorded).
public struct OrientationRecorded: EventPayload {
    public static let eventType = EventType("intake.orientation-recorded", major: 1)

    public var travellerID: TravellerID
    /// When the session was held.
    public var heldAt: Date

    public init(travellerID: TravellerID, heldAt: Date) {
        self.travellerID = travellerID
        self.heldAt = heldAt
    }
}
