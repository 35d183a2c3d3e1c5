public import HomewardModel

/// A correction of personal fields (`PATCH /cases/{id}`, `PATCH /cases/{id}/travellers/{travellerID}`)
/// as a JSON merge patch (RFC 7396): the members named change, `null` removes an optional
/// one, a nested object merges into the recorded one. The body is the patch itself.
public struct Correction: Codable, Sendable, Equatable {
    /// The caseworker correcting: the caller.
    @FromToken public var recordedBy: String
    public var changes: [String: JSONValue]

    public init(recordedBy: String = "", changes: [String: JSONValue]) {
        self.recordedBy = recordedBy
        self.changes = changes
    }

    public init(from decoder: any Decoder) throws {
        recordedBy = FromToken.subject ?? ""
        changes = try decoder.singleValueContainer().decode([String: JSONValue].self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(changes)
    }
}

/// Any JSON value, as a merge patch carries it.
public enum JSONValue: Codable, Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// `patch` applied to this value (RFC 7396): an object merges member by member, `null`
    /// removes the member, anything else replaces the value.
    public func merging(_ patch: JSONValue) -> JSONValue {
        guard case .object(let members) = patch else { return patch }
        guard case .object(var merged) = self else { return JSONValue.object([:]).merging(patch) }
        for (key, value) in members {
            merged[key] = value == .null ? nil : (merged[key] ?? .null).merging(value)
        }
        return .object(merged)
    }
}
