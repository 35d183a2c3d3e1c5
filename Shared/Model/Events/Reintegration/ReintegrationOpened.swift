/// Reintegration opened the case after arrival, with the budget intake's tier granted.
///
/// Consumers: intake (timeline, Integration reporting).
public struct ReintegrationOpened: EventPayload {
    public static let eventType = EventType("reintegration.reintegration-opened", major: 1)

    /// The in-kind budget the case is opened with.
    public var budget: Money

    public init(budget: Money) {
        self.budget = budget
    }
}
