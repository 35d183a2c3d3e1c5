public import Foundation

/// Health put a traveller on hold ("on hold until a date"); any clearance of theirs no
/// longer counts. Why stays in health.
///
/// Consumers: travel booking (puts the booking on hold, no departure before the date),
/// intake (timeline).
public struct HoldPlaced: EventPayload {
    public static let eventType = EventType("health-screening.hold-placed", major: 1)

    public var travellerID: TravellerID
    /// The earliest instant a new outcome may be recorded.
    public var holdUntil: Date

    public init(travellerID: TravellerID, holdUntil: Date) {
        self.travellerID = travellerID
        self.holdUntil = holdUntil
    }
}
