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

/// A merge patch's values are ``JSONValue``s (HomewardModel).
extension JSONValue {
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
