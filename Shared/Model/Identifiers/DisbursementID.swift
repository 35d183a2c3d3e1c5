/// The id of one entry in a reintegration ledger; a reversing entry names the one it reverses.
public struct DisbursementID: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}
