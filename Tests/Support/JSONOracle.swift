import Foundation
import HomewardModel
public import Testing

/// Holds ``DirectJSONEncoder`` to its oracle: the bytes `EventCoding.encoder()` (Foundation's
/// `JSONEncoder`) writes for the same value.
public enum JSONOracle {
    public static func expectSameBytes<T: Encodable>(_ value: T, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            let expected = try EventCoding.encoder().encode(value)
            let actual = try DirectJSONEncoder().encode(value)
            #expect(actual == expected, "\(label): \(String(decoding: actual, as: UTF8.self)) != \(String(decoding: expected, as: UTF8.self))",
                    sourceLocation: sourceLocation)
        } catch {
            Issue.record("\(label): \(error)", sourceLocation: sourceLocation)
        }
    }
}
