/// Why an incoming message is not an event this consumer can apply. Each case reads as
/// one line for an operator; none quotes payload data, which may be personal.
public enum EventDecodingError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformedJSON
    case missingAttribute(String)
    case unsupportedSpecVersion(String)
    case unrecognisedType(String)
    case unknownType(String)
    case unsupportedVersion(type: String, major: Int, supported: [Int])
    case keyMismatch
    case invalidData(type: String, detail: String)

    public var description: String {
        switch self {
        case .malformedJSON: "the message is not a JSON object"
        case .missingAttribute(let name): "the envelope has no '\(name)' attribute"
        case .unsupportedSpecVersion(let v): "CloudEvents specversion \(v) is not supported (expected 1.0)"
        case .unrecognisedType(let t): "type '\(t.prefix(80))' is not of the form homeward.<name>.v<major>"
        case .unknownType(let t): "no handler for event type '\(t)' in this consumer"
        case .unsupportedVersion(let t, let major, let supported):
            "event type '\(t)' major version \(major) is not supported (this consumer reads v\(supported.map(String.init).joined(separator: ", v")))"
        case .keyMismatch: "the Kafka key differs from the envelope's subject (case id)"
        case .invalidData(let t, let detail): "the data of '\(t)' does not match its schema: \(detail)"
        }
    }
}
