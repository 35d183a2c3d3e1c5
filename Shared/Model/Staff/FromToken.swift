/// A request field naming who acts (`recordedBy`, `approvedBy`): the verified token's
/// subject, set while the body is decoded and never read from it. A body that names an
/// actor is refused before decoding (``ServiceRequestContext``), so a caller cannot record a
/// change, or approve a plan, as somebody else.
@propertyWrapper
public struct FromToken: Codable, Sendable, Equatable {
    public var wrappedValue: String

    /// The verified caller's subject while a request is answered (bound by the runtime's
    /// authentication): API types read it without depending on the runtime.
    @TaskLocal public static var subject: String?

    public init(wrappedValue: String) {
        self.wrappedValue = wrappedValue
    }

    /// The caller's subject; empty outside a request, which the workflows refuse as missing.
    public init(from decoder: any Decoder) throws {
        // Reads nothing from the decoder.
        wrappedValue = Self.subject ?? ""
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(wrappedValue)
    }

    /// The body fields that once named the actor and are refused now.
    public static let refusedFields: Set<String> = ["recordedBy", "approvedBy"]
}

extension KeyedEncodingContainer {
    /// Leaves the actor out of an encoded request: a body never names it.
    public mutating func encode(_ value: FromToken, forKey key: Key) throws {}
}

extension KeyedDecodingContainer {
    /// Chosen by synthesised decoders over the generic one, so the key need not be there.
    public func decode(_ type: FromToken.Type, forKey key: Key) throws -> FromToken {
        FromToken(wrappedValue: FromToken.subject ?? "")
    }
}
