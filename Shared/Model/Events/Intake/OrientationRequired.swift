/// The programme holds departure for a pre-departure orientation: these travellers (old
/// enough, by the programme's rule, on the day the case became ready for screening) board
/// only once theirs is recorded (``OrientationRecorded``). Published with
/// ``ReadyForScreening``, once; not published when no traveller needs one.
///
/// Consumers: travel booking (refuses to board a traveller whose orientation is required
/// and not recorded).
public struct OrientationRequired: EventPayload {
    public static let eventType = EventType("intake.orientation-required", major: 1)

    public var travellerIDs: [TravellerID]

    public init(travellerIDs: [TravellerID]) {
        self.travellerIDs = travellerIDs
    }
}
