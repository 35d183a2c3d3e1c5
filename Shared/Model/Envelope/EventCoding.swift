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
                    in: container, debugDescription: "not an RFC 3339 UTC instant: \(text.prefix(40))")
            }
            return date
        }
        return decoder
    }
}

/// RFC 3339 instants in UTC (`2026-11-22T17:10:00.000Z`). Offsets other than `Z` are
/// accepted on input and normalised; output is always UTC.
public enum Instant {
    public static func format(_ date: Date) -> String {
        // Round to the millisecond here: the format style truncates, and most millisecond
        // values are not exact in binary, so `.123` parsed back printed as `.122` and an
        // instant drifted by 1 ms on every decode and re-encode.
        let millis = (date.timeIntervalSince1970 * 1000).rounded()
        let seconds = (millis / 1000).rounded(.down)
        let fraction = String(Int(millis - seconds * 1000))
        let whole = Date(timeIntervalSince1970: seconds).formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
        return whole.dropLast() + "." + String(repeating: "0", count: 3 - fraction.count) + fraction + "Z"
    }

    public static func parse(_ text: String) -> Date? {
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
        return try? Date.ISO8601FormatStyle().parse(text)
    }
}
