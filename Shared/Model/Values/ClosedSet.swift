/// A value that is one of a fixed set of names (a status, a role, a purpose). Decoding
/// another name fails with the names allowed, never the name sent (it may be personal), so
/// that an API's problem document can list them.
public protocol ClosedSet: CaseIterable, RawRepresentable, Decodable where RawValue == String {}

extension ClosedSet {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let value = Self(rawValue: try container.decode(String.self)) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: Self.allowedDescription)
        }
        self = value
    }

    /// `one of: a, b, c`.
    public static var allowedDescription: String {
        "one of: " + allCases.map(\.rawValue).joined(separator: ", ")
    }
}
