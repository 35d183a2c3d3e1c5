public import Foundation

/// Writes a ``CloudEvent`` as JSON by hand around its payload, byte for byte what
/// ``EventCoding/encoder()`` writes (sorted keys, no escaped slashes): every stage encodes
/// an event per event it applies, and the envelope's twelve attributes need no keyed
/// container, boxing or sorting. The payload goes through Codable, written by
/// ``DirectJSONEncoder`` with the same date strategy.
public enum EnvelopeWriter {
    public static func encode<P: EventPayload>(_ event: CloudEvent<P>) throws -> Data {
        let payload = try DirectJSONEncoder().bytes(event.data)
        var out = [UInt8]()
        out.reserveCapacity(payload.count + 480)
        // The attributes in the order `.sortedKeys` puts them.
        var first = true
        func key(_ name: StaticString) {
            out.append(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
            first = false
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            out.append(UInt8(ascii: "\""))
            out.append(UInt8(ascii: ":"))
        }
        func string(_ name: StaticString, _ value: String) {
            key(name)
            appendQuoted(value, to: &out)
        }
        if let causation = event.causationid { string("causationid", causation.rawValue) }
        string("correlationid", event.correlationid.rawValue)
        key("data")
        out.append(contentsOf: payload)
        string("datacontenttype", event.datacontenttype)
        string("dataschema", event.dataschema)
        string("id", event.id.rawValue)
        string("source", event.source)
        string("specversion", event.specversion)
        string("subject", event.subject.rawValue)
        string("time", Instant.format(event.time))
        if let traceparent = event.traceparent { string("traceparent", traceparent) }
        string("type", event.type)
        out.append(UInt8(ascii: "}"))
        return Data(out)
    }

    /// A JSON string as Foundation's encoder writes it (with `.withoutEscapingSlashes`): `"` and `\` escaped, the control
    /// characters as `\b \f \n \r \t` or `\u00XX`, everything else (slashes, non-ASCII) as is.
    static func appendQuoted(_ value: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        if value.utf8.withContiguousStorageIfAvailable({ appendEscaped($0, to: &out) }) == nil {
            var copy = value
            copy.withUTF8 { appendEscaped($0, to: &out) }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// The bytes between the quotes: runs that need no escape copied whole. A plain loop,
    /// since the `enumerated()` filter it replaces cost a probe event about 5,000
    /// instructions over its eleven strings.
    private static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var start = 0, index = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else {
                index += 1
                continue
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
            out.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(byte)
            case 0x08: out.append(UInt8(ascii: "b"))
            case 0x0C: out.append(UInt8(ascii: "f"))
            case 0x0A: out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(UInt8(ascii: "r"))
            case 0x09: out.append(UInt8(ascii: "t"))
            default:
                out.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]])
            }
            index += 1
            start = index
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<bytes.count]))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
