/// Something that must be booked alongside the seats: an airline special service (with
/// its IATA code) or an escort (with its kind). It names the service, never the health
/// reason behind it, so travel learns only what it must book.
public struct BookingItem: Codable, Sendable, Equatable {
    /// `"service"` or `"escort"`.
    public var kind: String
    /// The IATA special service request code, when there is one (WCHR, STCR, OXYG, MEDA).
    public var code: String?
    /// Set only when `kind` is `"escort"`.
    public var escort: EscortKind?
    public var description: String
    public init(kind: String, code: String? = nil, escort: EscortKind? = nil, description: String) {
        self.kind = kind; self.code = code; self.escort = escort; self.description = description
    }
}
