public import GRDB
public import HomewardStore

/// A service's own tables, in every partition store after the runtime's.
public protocol ServiceSchema {
    /// Its migrations.
    static func register(in migrator: inout DatabaseMigrator)
    /// Every table with the case each row belongs to, to split a store from before
    /// partition stores; a table whose case comes through another is listed first.
    static var partitionedTables: [PartitionedTable] { get }
    /// Its personal columns, sealed at rest: the key rotation sweep re-seals them (and
    /// recomputes their keyed hashes) when the active key changes.
    static var sealedColumns: [SealedColumn] { get }
}
