public import Foundation

/// The one JSON encoding of events: ISO 8601 UTC instants with milliseconds, sorted keys.
public enum EventCoding {
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Instant.format(date))
        }
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = Instant.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "not an RFC 3339 UTC instant")
            }
            return date
        }
        return decoder
    }
}

/// RFC 3339 instants in UTC (`2026-11-22T17:10:00.000Z`). Offsets other than `Z` are
/// accepted on input and normalised; output is always UTC.
public enum Instant {
    /// The present as the API carries instants: the clock read rounded up to the next
    /// millisecond, built as a parsed instant is built. A client sends its own present
    /// rounded to the nearest millisecond, up to half of one ahead of the clock read that
    /// then checks it is "not in the future"; against this present it never is. (A fault run
    /// caught a delivery refused as in the future, its request served in under 0.5 ms.)
    public static func now() -> Date {
        let millis = Int64((Date().timeIntervalSince1970 * 1000).rounded(.up))
        let seconds = millis >= 0 ? millis / 1000 : (millis - 999) / 1000
        return Date(timeIntervalSince1970: Double(seconds) + Double(millis - seconds * 1000) / 1000)
    }

    /// Rounds to the millisecond: most millisecond values are not exact in binary, and
    /// truncating made `.123` print back as `.122`, drifting on every round trip.
    /// Formatted by hand: it runs for every event written and read.
    public static func format(_ date: Date) -> String {
        let totalMillis = Int64((date.timeIntervalSince1970 * 1000).rounded())
        var seconds = time_t(totalMillis >= 0 ? totalMillis / 1000 : (totalMillis - 999) / 1000)
        let millis = Int(totalMillis - Int64(seconds) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var bytes = [UInt8]()
        bytes.reserveCapacity(24)
        func digits(_ value: Int, _ count: Int) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            var v = value
            while divisor > 0 {
                bytes.append(UInt8(48 + (v / divisor) % 10))
                v %= divisor
                divisor /= 10
            }
        }
        digits(Int(parts.tm_year) + 1900, 4); bytes.append(0x2D)
        digits(Int(parts.tm_mon) + 1, 2); bytes.append(0x2D)
        digits(Int(parts.tm_mday), 2); bytes.append(0x54)
        digits(Int(parts.tm_hour), 2); bytes.append(0x3A)
        digits(Int(parts.tm_min), 2); bytes.append(0x3A)
        digits(Int(parts.tm_sec), 2); bytes.append(0x2E)
        digits(millis, 3); bytes.append(0x5A)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses an RFC 3339 date-time (`2026-11-22T10:00:00.000Z`, `2026-11-22t12:00:00.5+02:00`):
    /// any offset from -23:59 to +23:59, any number of fraction digits (kept to the
    /// millisecond on output), `T`/`t` and `Z`/`z`, a leap second `:60` counted as the next
    /// minute's first. Days that do not exist (29 February 2001) are refused, never rolled
    /// over, in the proleptic Gregorian calendar (also before 1582), as `LocalDate` counts.
    /// Instants must fall from 0001-01-02 to 9999-12-30 in UTC, so that the calendar date
    /// they fall on exists in every time zone; `nil` otherwise.
    public static func parse(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { parse(bytes: $0) }
    }

    /// 0001-01-02T00:00:00Z and 9999-12-31T00:00:00Z, in seconds since 1970.
    static let earliest = -62_135_510_400, latestExclusive = 253_402_214_400

    /// The instants ``parse(_:)`` accepts: those whose calendar date is a ``LocalDate`` in
    /// every time zone (a referral at "0001-01-01T00:00:00.000Z" fell in year 0 in Toronto,
    /// and `LocalDate.containing` stopped intake with a precondition failure).
    public static let range = Date(timeIntervalSince1970: Double(earliest))..<Date(timeIntervalSince1970: Double(latestExclusive))

    private static func parse(bytes b: UnsafeBufferPointer<UInt8>) -> Date? {
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= b.count else { return nil }
            var value = 0
            for i in from..<(from + count) {
                let digit = Int(b[i]) - 48
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard b.count >= 20, let year = number(0, 4), b[4] == 0x2D, let month = number(5, 2), b[7] == 0x2D,
              let day = number(8, 2), b[10] == 0x54 || b[10] == 0x74, let hour = number(11, 2), b[13] == 0x3A,
              let minute = number(14, 2), b[16] == 0x3A, let second = number(17, 2),
              (1...12).contains(month), day >= 1, day <= LocalDate.daysIn(month: month, year: year),
              hour < 24, minute < 60, second <= 60
        else { return nil }
        var i = 19
        var fraction = 0.0
        if b[i] == 0x2E {
            // Up to nine digits count (the canonical three exactly, as `millis / 1000`); more are checked and dropped.
            var numerator = 0, denominator = 1
            i += 1
            let first = i
            while i < b.count, (0x30...0x39).contains(b[i]) {
                if i - first < 9 {
                    numerator = numerator * 10 + Int(b[i] - 0x30)
                    denominator *= 10
                }
                i += 1
            }
            guard i > first else { return nil }
            fraction = Double(numerator) / Double(denominator)
        }
        guard i < b.count else { return nil }
        var offset = 0
        switch b[i] {
        case 0x5A, 0x7A:  // Z, z
            i += 1
        case 0x2B, 0x2D:  // +, -
            guard let offsetHours = number(i + 1, 2), i + 3 < b.count, b[i + 3] == 0x3A, let offsetMinutes = number(i + 4, 2),
                  offsetHours < 24, offsetMinutes < 60 else { return nil }
            offset = (offsetHours * 3600 + offsetMinutes * 60) * (b[i] == 0x2D ? -1 : 1)
            i += 6
        default:
            return nil
        }
        guard i == b.count else { return nil }
        let seconds = LocalDate.dayNumber(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second - offset
        guard seconds >= earliest, seconds < latestExclusive else { return nil }
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }
}
