/// A late entry is ready for reintegration: a person who had already returned (see
/// ``LateEntryReason``) was registered under a programme that allows it, is eligible, gave
/// consent to processing and made the informed-choice declaration. Screening and travel
/// are skipped: health never hears of the case, travel never books it.
///
/// Consumers: reintegration (the case arrived on `returnedOn` and opens once its budget is
/// known), travel booking (the case is never booked).
public struct LateEntryReady: EventPayload {
    public static let eventType = EventType("intake.late-entry-ready", major: 1)

    /// The day the family came back to the country of return, as the caseworker recorded it.
    public var returnedOn: LocalDate
    public var reason: LateEntryReason
    /// Every traveller of the family.
    public var travellerIDs: [TravellerID]

    public init(returnedOn: LocalDate, reason: LateEntryReason, travellerIDs: [TravellerID]) {
        self.returnedOn = returnedOn
        self.reason = reason
        self.travellerIDs = travellerIDs
    }
}
