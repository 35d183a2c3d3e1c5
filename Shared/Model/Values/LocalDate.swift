public import Foundation

/// A calendar date with no time and no time zone ("2015-03-31"), as programmes state
/// their windows and as people state a date of birth.
///
/// Why not `Date`: a `Date` is an instant, and "31 March 2015" is a different span of
/// instants in every time zone. Keeping the calendar date as its own value makes each
/// conversion to instants explicit, with the programme's time zone named at the call.
///
/// The calendar is the proleptic Gregorian one (also before 1582), computed here
/// without `Calendar`, so that parsing, arithmetic and the conversions agree with each
/// other. Years run from 1 to 9999, the years "YYYY" can write.
public struct LocalDate: Codable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// The date, or `nil` when it does not exist (month 13, 2001-02-29, year 0).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...Self.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly "YYYY-MM-DD" (ASCII digits, no sign, no time, no spaces); `nil`
    /// for anything else or for a date that does not exist.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// "YYYY-MM-DD", the form `init?(_:)` parses and `Codable` uses.
    public var description: String {
        func padded(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))"
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    // MARK: Codable as "YYYY-MM-DD"

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        // The value is not quoted back: it may be a date of birth.
        guard let date = LocalDate(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "not a calendar date in the form YYYY-MM-DD that exists")
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    // MARK: Arithmetic

    /// The date `days` later (earlier when negative). The result must stay within years
    /// 1 to 9999; programme configuration keeps its day counts far inside that.
    public func adding(days: Int) -> LocalDate {
        let shifted = Self.fromDayNumber(daysSince1970 + days)
        guard let shifted else { preconditionFailure("\(self) + \(days) days leaves years 1 to 9999") }
        return shifted
    }

    /// Completed years from this date (a date of birth) to `date`: a person is a year
    /// older on the anniversary, and someone born on 29 February on 1 March of a
    /// non-leap year. Negative when `date` precedes this one (intake refuses such input).
    public func age(on date: LocalDate) -> Int {
        let years = date.year - year
        return (date.month, date.day) < (month, day) ? years - 1 : years
    }

    // MARK: Instants

    /// The calendar date, in `timeZone`, at which `instant` falls.
    public static func containing(_ instant: Date, in timeZone: TimeZone) -> LocalDate {
        let local = instant.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: instant))
        let days = Int((local / secondsPerDay).rounded(.down))
        guard let date = fromDayNumber(days) else {
            preconditionFailure("instant \(instant.timeIntervalSince1970) lies outside years 1 to 9999")
        }
        return date
    }

    /// The first instant of the date in `timeZone`: local midnight, or, where a clock
    /// change skips midnight (America/Santiago, for one), the first instant after the gap.
    /// When midnight occurs twice, the earlier one.
    public func start(in timeZone: TimeZone) -> Date {
        let midnight = Double(daysSince1970) * Self.secondsPerDay  // local midnight, counted as if UTC
        func offset(_ seconds: Double) -> Double {
            Double(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: seconds)))
        }
        // Around the date, at most one offset change: try the offset before and after it.
        let before = midnight - offset(midnight - Self.secondsPerDay)
        let after = midnight - offset(midnight + Self.secondsPerDay)
        let valid = [before, after].filter { $0 + offset($0) == midnight }
        if let earliest = valid.min() { return Date(timeIntervalSince1970: earliest) }
        // Midnight falls in a gap: the day starts at the change, the first instant whose
        // local time is at or after midnight. Changes fall on whole seconds.
        var low = min(before, after).rounded(.down)  // local time before midnight
        var high = max(before, after).rounded(.up)  // local time at or after midnight
        while high - low > 1 {
            let middle = ((low + high) / 2).rounded(.down)
            if middle + offset(middle) >= midnight { high = middle } else { low = middle }
        }
        return Date(timeIntervalSince1970: high)
    }

    /// The last millisecond of the date in `timeZone` (23:59:59.999 local on an ordinary
    /// day): the instant a deadline "by the end of that day" means, one millisecond
    /// before the next day starts. Instants carry millisecond precision in events.
    public func end(in timeZone: TimeZone) -> Date {
        adding(days: 1).start(in: timeZone).addingTimeInterval(-0.001)
    }

    // MARK: Day numbers (days since 1970-01-01), after Howard Hinnant's civil algorithms

    private static let secondsPerDay: Double = 86_400

    private static func isLeap(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 (proleptic Gregorian).
    public var daysSince1970: Int { Self.dayNumber(year: year, month: month, day: day) }

    /// Days since 1970-01-01 of a date (proleptic Gregorian), checked or not.
    static func dayNumber(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func fromDayNumber(_ number: Int) -> LocalDate? {
        let z = number + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return LocalDate(year: year, month: month, day: day)
    }
}
