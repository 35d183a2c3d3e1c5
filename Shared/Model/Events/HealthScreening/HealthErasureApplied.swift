/// Health screening applied ``PersonalDataErased`` to the case: its exams (results, notes, conditions), travel requirements and documents are erased.
/// Carries no data: the case id (the subject) and the time are the confirmation.
///
/// Consumers: intake (the case shows which services have confirmed its erasure).
public struct HealthErasureApplied: EventPayload {
    public static let eventType = EventType("health-screening.erasure-applied", major: 1)

    public init() {}
}
