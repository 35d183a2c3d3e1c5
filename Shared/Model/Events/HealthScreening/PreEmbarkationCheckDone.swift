public import Foundation

/// The fitness-to-travel check due 24 to 72 hours before a booked departure was done for
/// one traveller.
///
/// Consumers: travel booking (a departure needs a passed check, `outcome.isCleared`, for
/// every traveller on board), intake (timeline).
public struct PreEmbarkationCheckDone: EventPayload {
    public static let eventType = EventType("health-screening.pre-embarkation-check-done", major: 1)

    public var travellerID: TravellerID
    /// The booking whose departure the check was for; a check for an older booking does
    /// not count for a rebooking.
    public var bookingID: BookingID
    public var outcome: FitnessOutcome
    /// Requirements for this journey: empty unless `clearedWithRequirements`.
    public var travelRequirements: [TravelRequirement]
    /// Present exactly when `onHold`.
    public var holdUntil: Date?

    public init(travellerID: TravellerID, bookingID: BookingID, outcome: FitnessOutcome, travelRequirements: [TravelRequirement] = [], holdUntil: Date? = nil) {
        self.travellerID = travellerID
        self.bookingID = bookingID
        self.outcome = outcome
        self.travelRequirements = travelRequirements
        self.holdUntil = holdUntil
    }
}
