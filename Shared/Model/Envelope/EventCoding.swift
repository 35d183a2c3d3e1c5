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

    /// The instants ``parse(_:)`` accepts: from 0001-01-02 to 9999-12-30 UTC, the instants
    /// that fall within years 1 to 9999 in every time zone (zone offsets stay within a day).
    /// So the calendar date of a parsed instant, wherever it is taken, is a ``LocalDate``:
    /// a referral sent as "0001-01-01T00:00:00.000Z" fell in year 0 in Toronto, and
    /// `LocalDate.containing` stopped intake with a precondition failure.
    public static let range = Date(timeIntervalSince1970: -62_135_510_400)..<Date(timeIntervalSince1970: 253_402_214_400)

    /// Parses RFC 3339; the canonical `YYYY-MM-DDTHH:MM:SS.sssZ` on a fast path.
    /// Impossible dates (29 February 2001) are refused, not rolled over, and so are
    /// instants outside ``range``.
    public static func parse(_ text: String) -> Date? {
        guard let date = parseAnyYear(text), range.contains(date) else { return nil }
        return date
    }

    private static func parseAnyYear(_ text: String) -> Date? {
        switch parseCanonical(text) {
        case .date(let date): return date
        case .impossible: return nil
        case .otherShape: break
        }
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) {
            // Foundation rolls impossible dates over; a round trip of the date part shows it.
            let day = text.prefix(10)
            return format(date).hasPrefix(day) || !text.hasSuffix("Z") ? date : nil
        }
        return try? Date.ISO8601FormatStyle().parse(text)
    }

    private enum Canonical {
        case date(Date)
        case impossible
        case otherShape
    }

    private static func parseCanonical(_ text: String) -> Canonical {
        text.utf8.withContiguousStorageIfAvailable { b -> Canonical in
            guard b.count == 24, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54, b[13] == 0x3A, b[16] == 0x3A, b[19] == 0x2E, b[23] == 0x5A else { return .otherShape }
            func number(_ from: Int, _ count: Int) -> Int? {
                var value = 0
                for i in from..<(from + count) {
                    let d = Int(b[i]) - 48
                    guard (0...9).contains(d) else { return nil }
                    value = value * 10 + d
                }
                return value
            }
            guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
                  let minute = number(14, 2), let second = number(17, 2), let millis = number(20, 3),
                  (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return .impossible }
            var parts = tm()
            parts.tm_year = Int32(year - 1900)
            parts.tm_mon = Int32(month - 1)
            parts.tm_mday = Int32(day)
            parts.tm_hour = Int32(hour)
            parts.tm_min = Int32(minute)
            parts.tm_sec = Int32(second)
            let seconds = timegm(&parts)
            // timegm normalises impossible dates (Feb 30): refuse those instead.
            guard parts.tm_mday == Int32(day), parts.tm_mon == Int32(month - 1) else { return .impossible }
            return .date(Date(timeIntervalSince1970: Double(seconds) + Double(millis) / 1000))
        } ?? .otherShape
    }
}
