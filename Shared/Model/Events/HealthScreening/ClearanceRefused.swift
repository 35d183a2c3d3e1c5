/// Health decided a traveller is not fit to travel ("not cleared"); any clearance of
/// theirs no longer counts. Why stays in health.
///
/// Consumers: travel booking (the family cannot be booked as it stands), intake
/// (timeline; a caseworker follows up).
public struct ClearanceRefused: EventPayload {
    public static let eventType = EventType("health-screening.clearance-refused", major: 1)

    public var travellerID: TravellerID

    public init(travellerID: TravellerID) {
        self.travellerID = travellerID
    }
}
