/// Why a sealed value cannot be opened, or a key set cannot be used. Messages name the key
/// id and the column, never a value.
public enum FieldCipherError: Error, CustomStringConvertible, Equatable {
    /// The value was sealed under a key id the configuration does not hold.
    case unknownKeyID(String, column: String)
    /// The value does not open under its key for this column: tampered, moved from
    /// another column, sealed under a different key with the same id, or sealed in another
    /// service's store (each service derives its own keys).
    case notAuthentic(keyID: String, column: String)
    /// Not in the `v2.<kid>.<base64>` (or `v1.`) format.
    case malformed(column: String)
    /// A key set that cannot be used (`STORE_KEYS`, `STORE_KEY_ACTIVE`).
    case invalidKeys(String)

    public var description: String {
        switch self {
        case .unknownKeyID(let id, let column):
            "\(column): sealed under key id '\(id)', which STORE_KEYS does not hold; add that key back (STORE_KEYS=new:…,\(id):…) until the rotation sweep completes"
        case .notAuthentic(let id, let column):
            "\(column): the value does not open under key '\(id)': it was altered, moved from another column or another service's store, or key '\(id)' is not the key it was sealed with"
        case .malformed(let column):
            "\(column): the value is not a sealed value (v2.<kid>.<base64>)"
        case .invalidKeys(let reason):
            reason
        }
    }
}
