import Foundation

/// How far a recorded departure or arrival may stray from the itinerary's schedule
/// (configuration): a departure within `departureEarly` before to `departureLate` after the
/// first segment's scheduled departure; an arrival within `arrivalEarly` before to
/// `arrivalLate` after the departure as recorded plus the scheduled journey time.
struct ScheduleWindows: Sendable {
    var departureEarly: TimeInterval
    var departureLate: TimeInterval
    var arrivalEarly: TimeInterval
    var arrivalLate: TimeInterval

    /// Two hours early to three days late, both ways: delays and missed connections, not a
    /// departure typed a day early or an arrival minutes after a long-haul departure.
    static let standard = ScheduleWindows(departureEarly: 2 * 3_600, departureLate: 72 * 3_600, arrivalEarly: 2 * 3_600, arrivalLate: 72 * 3_600)

    func departure(scheduled: Date) -> ClosedRange<Date> {
        scheduled.addingTimeInterval(-departureEarly)...scheduled.addingTimeInterval(departureLate)
    }

    func arrival(departed: Date, scheduledDeparture: Date, scheduledArrival: Date) -> ClosedRange<Date> {
        let expected = departed.addingTimeInterval(scheduledArrival.timeIntervalSince(scheduledDeparture))
        return max(departed, expected.addingTimeInterval(-arrivalEarly))...expected.addingTimeInterval(arrivalLate)
    }
}
