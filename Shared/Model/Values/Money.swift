/// An amount of money in integer minor units of an ISO 4217 currency (CAD 2,000.00 is
/// `Money(amountMinor: 200_000, currency: "CAD")`). Never a floating-point number.
public struct Money: Hashable, Codable, Sendable {
    /// Minor units (cents for CAD). Negative only on a reversing ledger entry.
    public var amountMinor: Int64
    /// ISO 4217 alphabetic code, upper case (`CAD`).
    public var currency: String

    public init(amountMinor: Int64, currency: String) {
        self.amountMinor = amountMinor
        self.currency = currency
    }

    /// The same amount with the opposite sign, for a reversing entry.
    public var negated: Money { Money(amountMinor: -amountMinor, currency: currency) }
}
