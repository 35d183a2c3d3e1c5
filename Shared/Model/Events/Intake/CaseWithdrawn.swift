/// The person withdrew from the programme before departure (return is voluntary).
///
/// Consumers: every service cancels its downstream steps (health closes screenings,
/// travel cancels the booking, reintegration never opens). The fact is all they need:
/// no reason is carried.
public struct CaseWithdrawn: EventPayload {
    public static let eventType = EventType("intake.case-withdrawn", major: 1)

    public init() {}
}
