import Foundation
import HomewardModel

/// JSON columns (lists, maps, sealed documents) as the stores write and read them, with
/// the events' encoding: dates as UTC instants, keys sorted.
public enum StoredJSON {
    private static let decoder = EventCoding.decoder()

    public static func text<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try DirectJSONEncoder().bytes(value), as: UTF8.self)
    }

    public static func value<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try decoder.decode(type, from: Data(text.utf8))
    }

    /// A sealed JSON column as read: nil when absent or erased (`''`).
    public static func erasable<T: Decodable>(_ type: T.Type, _ text: String?) throws -> T? {
        guard let text, !text.isEmpty else { return nil }
        return try value(type, text)
    }
}
