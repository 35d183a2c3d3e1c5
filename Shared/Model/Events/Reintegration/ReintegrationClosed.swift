/// Reintegration closed the case with an outcome.
///
/// Consumers: intake (timeline: the case is over; reporting).
public struct ReintegrationClosed: EventPayload {
    public static let eventType = EventType("reintegration.reintegration-closed", major: 1)

    public var outcome: ReintegrationOutcome
    /// The ledger's final balance: the sum of every disbursement, reversals included.
    public var totalDisbursed: Money

    public init(outcome: ReintegrationOutcome, totalDisbursed: Money) {
        self.outcome = outcome
        self.totalDisbursed = totalDisbursed
    }
}
