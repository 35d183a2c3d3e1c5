public import Foundation
public import GRDB
public import HomewardModel
import Synchronization

/// The cases whose personal data this service erased, and when: a small SQLite file of its
/// own, outside the store directory, so that `homeward backup` never copies it and a
/// restore never replaces it. A store copied back from a backup taken before an erasure is
/// erased again when the service opens it (``reapply(to:erase:)``), before it serves.
///
/// It holds case ids and instants only. An erasure is recorded by the statement that erases
/// (``DocumentStore/erase(_:at:in:)`` calls `hw_record_erasure`), before its transaction
/// commits: a transaction that then rolls back leaves an entry for an erasure that was
/// asked for and is applied again, never the other way round.
public final class ErasureLedger: Sendable {
    public let path: String
    private let queue: DatabaseQueue

    public init(path: String) throws {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        var config = Configuration()
        // Replicas on one host share the file.
        config.busyMode = .timeout(30)
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA secure_delete = ON") }
        queue = try DatabaseQueue(path: path, configuration: config)
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS erasure (case_id TEXT PRIMARY KEY, erased_at REAL NOT NULL) WITHOUT ROWID")
        }
    }

    /// Records that the case was erased at `erasedAt` (the first time counts).
    func record(_ caseID: String, at erasedAt: Double) throws {
        try queue.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO erasure (case_id, erased_at) VALUES (?, ?)", arguments: [caseID, erasedAt])
        }
    }

    /// Every erasure recorded, oldest first.
    public func erasures() throws -> [(caseID: CaseID, erasedAt: Date)] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT case_id, erased_at FROM erasure ORDER BY erased_at, case_id").map {
                (CaseID($0[0] as String), Date(timeIntervalSince1970: $0[1]))
            }
        }
    }

    /// Erases again, with `erase`, every recorded case that the store holding it (`store(for:)`)
    /// does not know as erased (a store restored from an older backup), each store's cases in
    /// one transaction; the stores' WAL is then checkpointed (``Store/write(_:)``). Returns
    /// the cases erased again.
    public func reapply(to store: (CaseID) -> Store, erase: (CaseID, Date, Database) throws -> Void) throws -> [CaseID] {
        var due: [ObjectIdentifier: (store: Store, cases: [(CaseID, Date)])] = [:]
        for (caseID, erasedAt) in try erasures() {
            let holder = store(caseID)
            guard try !holder.read({ db in try DocumentStore.isErased(caseID, in: db) }) else { continue }
            due[ObjectIdentifier(holder), default: (holder, [])].cases.append((caseID, erasedAt))
        }
        for (holder, cases) in due.values {
            try holder.write { db in for (caseID, erasedAt) in cases { try erase(caseID, erasedAt, db) } }
        }
        return due.values.flatMap { $0.cases.map(\.0) }
    }
}

extension ErasureLedger {
    /// `hw_record_erasure(case_id, erased_at)`: records the erasure in `ledger` (none kept:
    /// nothing), and notes it so that the store checkpoints its WAL after the transaction.
    static func recording(in ledger: ErasureLedger?, noting erasures: ErasuresSinceCheckpoint) -> DatabaseFunction {
        DatabaseFunction("hw_record_erasure", argumentCount: 2, pure: false) { arguments in
            guard case .string(let caseID) = arguments[0].storage, let erasedAt = Double.fromDatabaseValue(arguments[1]) else {
                throw DatabaseError(message: "hw_record_erasure takes a case id and an instant")
            }
            try ledger?.record(caseID, at: erasedAt)
            erasures.note()
            return nil
        }
    }
}

/// Whether a transaction erased a case since the store's WAL was last checkpointed.
final class ErasuresSinceCheckpoint: Sendable {
    private let pending = Mutex(false)

    func note() { pending.withLock { $0 = true } }

    /// Whether one did, clearing it.
    func take() -> Bool { pending.withLock { noted in defer { noted = false }; return noted } }
}
