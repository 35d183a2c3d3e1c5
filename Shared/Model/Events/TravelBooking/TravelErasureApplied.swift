/// Travel booking applied ``PersonalDataErased`` to the case: its travellers' requirements, special-service items, free-text remarks and documents are erased.
/// Carries no data: the case id (the subject) and the time are the confirmation.
///
/// Consumers: intake (the case shows which services have confirmed its erasure).
public struct TravelErasureApplied: EventPayload {
    public static let eventType = EventType("travel-booking.erasure-applied", major: 1)

    public init() {}
}
