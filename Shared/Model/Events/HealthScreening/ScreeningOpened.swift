/// Health opened a pre-departure screening for one traveller.
///
/// Consumers: intake (the case timeline). Which tests it includes stays in health.
public struct ScreeningOpened: EventPayload {
    public static let eventType = EventType("health-screening.screening-opened", major: 1)

    public var travellerID: TravellerID
    public var kind: ScreeningKind

    public init(travellerID: TravellerID, kind: ScreeningKind) {
        self.travellerID = travellerID
        self.kind = kind
    }
}
