public import GRDB
import Foundation
import Synchronization

/// A service's SQLite store: WAL, busy handling and immediate write transactions, so that
/// several processes of one service can share it (replicas on one host).
///
/// The runtime's own tables (outbox, inbox, lease) are migrated first, then the service's.
///
/// With a ``FieldCipher``, personal columns are sealed at rest: every connection has the
/// `hw_seal`, `hw_open`, `hw_search` and `hw_digest` SQL functions (``SealingFunctions``),
/// and the outbox keeps dead letters' bytes sealed.
public final class Store: Sendable {
    public let pool: DatabasePool
    public let path: String
    /// The keys personal columns are sealed under; nil for a store that holds none.
    public let cipher: FieldCipher?
    /// Set by an erasure (`hw_record_erasure`), cleared by the checkpoint that follows it.
    private let erasures: ErasuresSinceCheckpoint

    /// - Parameters:
    ///   - cipher: seals personal columns and dead letters' bytes; nil for a store without personal data.
    ///   - ledger: where this service's erasures are recorded (``ErasureLedger``); nil where none is kept.
    ///   - migrations: the service's own migrations, registered after the runtime's.
    ///   - busyTimeout: how long a writer waits for another process's transaction.
    ///   - maximumReaders: concurrent readers of this file (a partition store needs few).
    public init(path: String, cipher: FieldCipher? = nil, ledger: ErasureLedger? = nil, busyTimeout: Duration = .seconds(30), maximumReaders: Int = 5,
                migrations: (inout DatabaseMigrator) -> Void = { _ in }) throws {
        self.path = path
        self.cipher = cipher
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        var config = Configuration()
        config.busyMode = .timeout(TimeInterval(busyTimeout.components.seconds))
        config.maximumReaderCount = maximumReaders
        let erasures = ErasuresSinceCheckpoint()
        self.erasures = erasures
        let functions = SealingFunctions.all(cipher: cipher) + [ChangelogFunctions.unhex, ErasureLedger.recording(in: ledger, noting: erasures)]
        config.prepareDatabase { db in
            for function in functions { db.add(function: function) }
            // NORMAL is durable in WAL mode except for the last transactions on power loss,
            // which Kafka re-delivers (offsets are stored after commit) and the inbox dedupes.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // A deleted row's bytes are overwritten, not left in free space: a published
            // changelog row (sealed values under the key of its day) leaves the outbox at
            // once, and a value re-sealed under a new key must leave no copy under the old.
            try db.execute(sql: "PRAGMA secure_delete = ON")
        }
        pool = try DatabasePool(path: path, configuration: config)
        var migrator = DatabaseMigrator()
        RuntimeSchema.register(in: &migrator)
        migrations(&migrator)
        // Replicas starting together: the immediate write transaction serialises them.
        try migrator.migrate(pool)
    }

    /// Checkpoints the WAL into the file and empties it, then closes: no stale page (a
    /// value sealed under a retired key, an erased one) outlives a clean stop in the WAL.
    /// (GRDB closes the writer before the readers, so SQLite's own checkpoint-on-close
    /// cannot run.)
    public func close() throws {
        try pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        try pool.close()
    }

    /// Runs `body` in one immediate write transaction; everything in it commits or nothing.
    /// In a staff request, the request's audit entry (and the answer kept for its retries)
    /// commits in the first such transaction (``RequestScope``).
    ///
    /// A transaction that erased a case is followed by a truncating checkpoint of the WAL:
    /// the erased values' old pages leave it (secure deletion has already overwritten them in
    /// the file). One checkpoint per transaction, which is one per batch of events, request
    /// or sweep pass, not one per case: a checkpoint writes every page the WAL holds and waits
    /// for readers, too dear for each row of a batch. One that readers kept from finishing
    /// (busy) is tried again after the next write, and at ``close()``.
    public func write<T>(_ body: (Database) throws -> T) throws -> T {
        let scope = RequestScope.current, mark = scope?.isRecorded
        let result: T
        do { result = try pool.write { db in try commit(body(db), with: scope, in: db) } } catch {
            scope?.rollBack(to: mark)
            throw error
        }
        if erasures.take() {
            do { try pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) } } catch { erasures.note() }
        }
        return result
    }

    /// The same transaction, run on the calling task's thread. GRDB's own async access sends
    /// each transaction to a dispatch queue and resumes the task from there: two thread
    /// wake-ups per transaction, and a request has two or three. Those switches were about a
    /// tenth of the four services' CPU under journeys; run here, a journey costs 12 % less
    /// (BENCHMARKS.md, 2026-12-08). The price: while another writer holds the store (a batch
    /// of events, a sweep's batch, another replica's transaction) the task's thread waits
    /// instead of serving other tasks. Every such transaction is short, by design (batches
    /// of at most 500 events, sweeps in batches), so that wait is milliseconds.
    public func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try writeHere(body)
    }

    /// Overload resolution prefers the async variant in an async context: these name the
    /// synchronous ones.
    private func writeHere<T>(_ body: (Database) throws -> T) throws -> T { try write(body) }
    private func readHere<T>(_ body: (Database) throws -> T) throws -> T { try pool.read(body) }

    private func commit<T>(_ result: T, with scope: RequestScope?, in db: Database) throws -> T {
        guard let scope else { return result }
        try scope.fence?(self, db)
        try scope.recordChange(result, in: db)
        scope.wrote(self)
        return result
    }

    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.read(body)
    }

    /// Run on the calling task's thread, as ``write(_:)-async`` is: a reader is free unless
    /// every one of the pool's is busy.
    public func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try readHere(body)
    }
}
