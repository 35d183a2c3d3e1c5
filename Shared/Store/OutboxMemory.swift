public import GRDB
import Synchronization

/// The outbox records this process committed to one store, kept in commit order so that the
/// relay publishes them without reading back what it was just handed (reading them cost the
/// probe stage about 6 % of its instructions per event).
///
/// ``Outbox`` notes each record it inserts through a store's writer connection that has a
/// memory attached; GRDB tells the memory which inserted rows survived the transaction's
/// savepoints (a rolled-back savepoint's events are dropped before observers see them),
/// and on commit those records join the queue; on rollback they are dropped. A row nobody
/// noted (inserted by SQL other than ``Outbox``'s) joins nothing: the queue then lacks its
/// `seq`, which the relay takes for a gap and reads the store. So do rows of another process
/// or another connection: the queue is what this connection committed, nothing more, and
/// the store stays the source of truth.
///
/// Not for a store with a changelog: its capture triggers insert outbox rows that only the
/// store knows, and the relay sends them first.
public final class OutboxMemory: TransactionObserver, @unchecked Sendable {
    /// Noted in the open transaction, by `seq`: a `seq` reused after a savepoint's rollback
    /// holds the later record. Touched only on the writer's queue, where GRDB calls observers.
    private var noted: [Int64: OutboxRecord] = [:]
    /// The outbox rows inserted in the open transaction that survived its savepoints.
    private var inserted: [Int64] = []
    private let queue = Mutex<[OutboxRecord]>([])
    private let limit: Int
    private let committed: @Sendable () -> Void

    /// - Parameters:
    ///   - limit: records kept at most; past it the queue is emptied (the relay reads the
    ///     store), so that a store nobody publishes from here holds no growing memory.
    ///   - committed: called after every commit that inserted outbox rows (wakes the relay).
    public init(limit: Int = 2_000, committed: @escaping @Sendable () -> Void = {}) {
        self.limit = limit
        self.committed = committed
    }

    /// Attaches this memory to `store`'s writer connection for the store's lifetime; without
    /// `noting`, it only tells of commits that inserted outbox rows (a store with a changelog).
    public func attach(to store: Store, noting: Bool = true) {
        store.pool.writeWithoutTransaction { db in
            db.add(transactionObserver: self, extent: .databaseLifetime)
            if noting { Self.attached.withLock { $0[ObjectIdentifier(db)] = Attachment(memory: self, connection: db) } }
        }
    }

    /// The relay's records from `seq` on: at most `limit` records whose `seq`s follow each
    /// other from exactly `seq`, taken from the queue (records before `seq` are dropped:
    /// published from the store already). Nil if the queue does not start at `seq` (empty,
    /// or a gap: another writer's rows, or records dropped).
    public func take(from seq: Int64, limit: Int) -> [OutboxRecord]? {
        queue.withLock { queue in
            if let stale = queue.firstIndex(where: { $0.seq >= seq }) { queue.removeFirst(stale) } else { queue.removeAll() }
            guard queue.first?.seq == seq else { return nil }
            var count = 1
            while count < min(limit, queue.count), queue[count].seq == seq + Int64(count) { count += 1 }
            defer { queue.removeFirst(count) }
            return Array(queue.prefix(count))
        }
    }

    /// Whether records wait in the queue.
    public var isEmpty: Bool { queue.withLock { $0.isEmpty } }

    /// Drops every record in the queue (a store this replica does not publish now).
    public func clear() { queue.withLock { $0.removeAll() } }

    // MARK: Noting (the writer's queue)

    /// The memory attached to `db`, if any.
    static func attached(to db: Database) -> OutboxMemory? {
        attached.withLock { $0[ObjectIdentifier(db)] }.flatMap { $0.connection === db ? $0.memory : nil }
    }

    private struct Attachment: @unchecked Sendable {
        let memory: OutboxMemory
        /// Weak: a connection closed and another opened at its address is not taken for it.
        weak var connection: Database?
    }

    private static let attached = Mutex<[ObjectIdentifier: Attachment]>([:])

    func note(_ record: OutboxRecord) {
        noted[record.seq] = record
    }

    public func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        if case .insert(let table) = eventKind { return table == "outbox" }
        return false
    }

    public func databaseDidChange(with event: DatabaseEvent) {
        inserted.append(event.rowID)
    }

    public func databaseDidCommit(_ db: Database) {
        defer { noted.removeAll(keepingCapacity: true) }
        guard !inserted.isEmpty else { return }
        let records = inserted.compactMap { noted[$0] }
        inserted.removeAll(keepingCapacity: true)
        if !records.isEmpty {
            queue.withLock { queue in
                if queue.count + records.count > limit { queue.removeAll() } else { queue.append(contentsOf: records) }
            }
        }
        committed()
    }

    public func databaseDidRollback(_ db: Database) {
        inserted.removeAll(keepingCapacity: true)
        noted.removeAll(keepingCapacity: true)
    }
}
