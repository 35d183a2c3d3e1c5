public import Foundation

/// The events' JSON encoding (``EventCoding/encoder()``: instants through ``Instant/format(_:)``,
/// keys sorted, slashes unescaped) written straight into one byte buffer, byte for byte what
/// `JSONEncoder` writes. Every event written, JSON column stored and HTTP answer goes through
/// it: `JSONEncoder` first builds a tree of boxed values, one dictionary per object, and sorts
/// each of them, which profiles named among the top costs per event and per request.
///
/// Objects are written as their members come; one whose keys do not come in order is put in
/// order when it ends (``JSONOutput``). `SharedTests/DirectJSONEncoderTests` holds it to
/// `JSONEncoder`'s bytes.
public struct DirectJSONEncoder: Sendable {
    public init() {}

    /// The JSON text of `value`; throws where `JSONEncoder` does (a number that is not
    /// finite, a top-level value that encodes nothing).
    public func bytes<T: Encodable>(_ value: T) throws -> [UInt8] {
        let output = JSONOutput(path: [])
        guard try output.write(value) else {
            throw EncodingError.invalidValue(
                value, EncodingError.Context(codingPath: [], debugDescription: "Top-level \(T.self) did not encode any values."))
        }
        return output.bytes
    }

    public func encode<T: Encodable>(_ value: T) throws -> Data {
        Data(try bytes(value))
    }
}
