/// Intake erased the case's personal data, on an authorised request or because the
/// retention period after the case ended has passed; every service now erases its own.
///
/// Consumers: health-screening erases exams (results, notes, conditions) and travel
/// requirements; travel-booking erases requirements, special-service items and free-text
/// remarks; reintegration erases assessments, plan descriptions, what was delivered and
/// survey answers. Each keeps its non-identifying figures (ages, sexes, outcomes, dates,
/// amounts, scores) and its steps. `reason` tells a request from the retention sweep;
/// nothing about the person is carried.
public struct PersonalDataErased: EventPayload {
    public static let eventType = EventType("intake.personal-data-erased", major: 1)

    public var reason: ErasureReason

    public init(reason: ErasureReason) {
        self.reason = reason
    }
}
