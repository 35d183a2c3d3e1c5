/// A column whose values a store keeps sealed (see ``FieldCipher``), as the key rotation
/// sweep finds it: the table, the column, how to name a row, and the keyed-hash column
/// computed from it, if any.
public struct SealedColumn: Sendable, Hashable {
    public var table: String
    public var column: String
    /// What names one row in `UPDATE … WHERE <rowKey> IN (SELECT <rowKey> …)`: `rowid`,
    /// or a parenthesised primary key for tables without rowid (`(case_id, kind)`).
    public var rowKey: String
    /// A column holding `hw_search` of this one, recomputed when this one is resealed.
    public var searchHash: String?
    /// Blob values (event bytes) rather than text.
    public var isBlob: Bool
    /// Clear blobs are kept clear by design (a service's own events in the outbox): only
    /// sealed values are re-sealed under a new key.
    public var keepsClearBlobs: Bool

    public init(_ table: String, _ column: String, rowKey: String = "rowid", searchHash: String? = nil, isBlob: Bool = false,
                keepsClearBlobs: Bool = false) {
        self.table = table
        self.column = column
        self.rowKey = rowKey
        self.searchHash = searchHash
        self.isBlob = isBlob
        self.keepsClearBlobs = keepsClearBlobs
    }

    /// The associated-data label: `table.column`.
    public var label: String { "\(table).\(column)" }
}
