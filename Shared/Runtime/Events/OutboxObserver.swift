import GRDB
import HomewardStore

/// Wakes the outbox relay after every commit that added outbox rows, whoever wrote them in
/// this process (an HTTP request, the event pipeline, a sweep), so no caller has to.
final class OutboxObserver: TransactionObserver, @unchecked Sendable {
    private let signal: RelaySignal
    /// Touched only on the store's writer queue, where GRDB calls observers.
    private var wroteOutbox = false

    init(signal: RelaySignal) {
        self.signal = signal
    }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        if case .insert(let table) = eventKind { return table == "outbox" }
        return false
    }

    func databaseDidChange(with event: DatabaseEvent) {
        wroteOutbox = true
        stopObservingDatabaseChangesUntilNextTransaction()
    }

    func databaseDidCommit(_ db: Database) {
        if wroteOutbox { signal.notify() }
        wroteOutbox = false
    }

    func databaseDidRollback(_ db: Database) {
        wroteOutbox = false
    }
}
