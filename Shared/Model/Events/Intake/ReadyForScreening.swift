/// The case is eligible, consent to processing is given and the informed-choice
/// (voluntariness) declaration is recorded: health may screen its travellers.
///
/// Consumers: health screening (opens a screening per traveller; which tests apply
/// depends on age, so age in years and sex, never a date of birth or a name), travel
/// booking (one of the conditions for the case to become bookable).
public struct ReadyForScreening: EventPayload {
    public static let eventType = EventType("intake.ready-for-screening", major: 1)

    /// Every traveller of the family.
    public var travellers: [Traveller]

    public init(travellers: [Traveller]) {
        self.travellers = travellers
    }

    /// One traveller, as health screening needs them.
    public struct Traveller: Hashable, Codable, Sendable {
        public var travellerID: TravellerID
        /// Age in whole years at the time of the event.
        public var ageYears: Int
        public var sex: Sex

        public init(travellerID: TravellerID, ageYears: Int, sex: Sex) {
            self.travellerID = travellerID
            self.ageYears = ageYears
            self.sex = sex
        }
    }
}
