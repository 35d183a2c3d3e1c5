public import Foundation

/// Instants and calendar dates as the services read and write them.
///
/// Instants travel as RFC 3339 in UTC with milliseconds; calendar dates (birth, exam) as
/// `YYYY-MM-DD`; itinerary times as the airport's local wall clock `YYYY-MM-DDTHH:MM` with
/// its IANA zone.
public enum Instants {
    /// The calendar date `YYYY-MM-DD` at which `date` falls in `zone` (UTC by default).
    public static func day(_ date: Date, in zone: TimeZone = .gmt) -> String {
        let parts = calendar(zone).dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }

    /// The local wall clock `YYYY-MM-DDTHH:MM` of `date` in the IANA zone `zone`.
    public static func local(_ date: Date, _ zone: String) -> String {
        let parts = calendar(TimeZone(identifier: zone)!).dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02dT%02d:%02d", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!)
    }

    /// The calendar date `years` years, `months` months and `days` days before the UTC
    /// date of `date` (the last day of the month when the day does not exist there).
    public static func day(yearsBefore years: Int, months: Int = 0, days: Int = 0, of date: Date) -> String {
        let utc = calendar(.gmt)
        let start = utc.startOfDay(for: date)
        let shifted = utc.date(byAdding: DateComponents(year: -years, month: -months, day: -days), to: start)!
        return day(shifted)
    }

    /// The start (00:00 UTC) of the UTC day after the one `date` falls in.
    public static func nextUTCMidnight(after date: Date) -> Date {
        let utc = calendar(.gmt)
        return utc.date(byAdding: .day, value: 1, to: utc.startOfDay(for: date))!
    }

    /// Completed years from a `YYYY-MM-DD` birth date to the `YYYY-MM-DD` day `on`.
    public static func age(born: String, on day: String) -> Int {
        let b = born.split(separator: "-").compactMap { Int($0) }, d = day.split(separator: "-").compactMap { Int($0) }
        guard b.count == 3, d.count == 3 else { return 0 }
        let years = d[0] - b[0]
        return (d[1], d[2]) < (b[1], b[2]) ? years - 1 : years
    }

    private static func calendar(_ zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }
}
