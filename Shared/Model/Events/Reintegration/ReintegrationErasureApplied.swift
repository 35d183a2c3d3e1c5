/// Reintegration applied ``PersonalDataErased`` to the case: its assessments, plan descriptions, what was delivered, survey answers and documents are erased.
/// Carries no data: the case id (the subject) and the time are the confirmation.
///
/// Consumers: intake (the case shows which services have confirmed its erasure).
public struct ReintegrationErasureApplied: EventPayload {
    public static let eventType = EventType("reintegration.erasure-applied", major: 1)

    public init() {}
}
