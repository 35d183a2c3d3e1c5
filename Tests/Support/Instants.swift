public import Foundation
public import HomewardModel

// Tests of date rules write instants out in UTC and build them with Foundation's Gregorian
// calendar, not with LocalDate, so that they do not check the rules' arithmetic against itself.

/// An instant in UTC, with milliseconds.
public func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0, ms: Int = 0) -> Date {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "GMT")!
    let whole = calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second))!
    return Date(timeIntervalSince1970: whole.timeIntervalSince1970 + Double(ms) / 1_000)
}

/// Milliseconds since 1970, to compare instants without floating-point noise.
public func millis(_ date: Date?) -> Int64? {
    date.map { Int64(($0.timeIntervalSince1970 * 1_000).rounded()) }
}

/// A calendar date a test writes out; one that does not exist is a mistake in the test.
public func date(_ text: String) -> LocalDate {
    guard let date = LocalDate(text) else { fatalError("test date \(text) does not exist") }
    return date
}
