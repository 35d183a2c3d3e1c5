/// Something that must be booked alongside the seats: an airline special service (with
/// its IATA code) or an escort (with its kind). It names the service, never the health
/// reason behind it, so travel learns only what it must book.
struct BookingItem: Codable, Sendable, Equatable {
    /// `"service"` or `"escort"`.
    var kind: String
    /// The IATA special service request code, when there is one (WCHR, STCR, OXYG, MEDA).
    var code: String?
    /// Set only when `kind` is `"escort"`.
    var escort: EscortKind?
    var description: String
}
