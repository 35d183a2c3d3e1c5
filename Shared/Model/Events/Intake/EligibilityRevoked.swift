/// The referring authority revoked the case's eligibility.
///
/// Consumers: every service cancels its downstream steps, as for ``CaseWithdrawn``.
/// The authority's reasons stay in intake.
public struct EligibilityRevoked: EventPayload {
    public static let eventType = EventType("intake.eligibility-revoked", major: 1)

    public init() {}
}
