public import Foundation
import HomewardStore
public import Kafka
public import Logging
public import ServiceLifecycle
import Synchronization

/// Which partition stores this replica owns: those Kafka assigned to it, once it also holds
/// the store's "owner" lease. Only the owner applies events to a partition store and
/// publishes its outbox, so per-case order holds and nothing is published by two replicas
/// at once. The lease covers what Kafka cannot see: a replica killed with SIGKILL keeps its
/// lease until it expires, and the next owner waits for that before taking the store with
/// its unpublished outbox.
///
/// The consumer thread calls ``assigned(_:)``, ``revoked(_:)`` and ``awaitHeld(_:)``; the
/// relay asks ``beginPublishing(_:)``; ``run()`` renews the leases.
public final class PartitionOwnership: Service, Sendable {
    private struct State {
        /// Topic-partitions assigned per partition number (one per subscribed topic).
        var assigned: [Int32: Int] = [:]
        var held: Set<Int32> = []
        /// Let go of but not yet released (a publish in flight, the changelog's flush):
        /// still claimed, so that no replica elsewhere takes them meanwhile.
        var releasing: Set<Int32> = []
        /// Let go of with changelog rows not yet in Kafka (the broker away): lease and
        /// claim kept until ``drainLingering()`` has published them.
        var lingering: Set<Int32> = []
        /// Whose changelog a publish is running for (one at a time per partition).
        var draining: Set<Int32> = []
        var publishing: [Int32: Int] = [:]
        /// Held, taken over from a lease its holder never released (killed, or paused past
        /// its expiry): the relay first checks what that holder published.
        var unchecked: Set<Int32> = []
        /// Each held partition's tenure: a number new with every time it was taken.
        var tenures: [Int32: Int] = [:]
        var taken = 0
        /// Stopping: revoked stores stay held until the relay has drained them.
        var stopping = false
        /// Being brought up to their changelog by one thread (``ChangelogRestore``).
        var restoring: Set<Int32> = []
        /// When a restore last failed, so that a lasting failure is logged twice a minute, not at every try.
        var failedAt: [Int32: ContinuousClock.Instant] = [:]
    }

    private let stores: PartitionStores
    private let holder: String
    private let leaseDuration: TimeInterval
    private let state = Mutex(State())
    private let logger: Logger
    /// Every partition, owned without Kafka: a service that consumes no topic.
    private let ownsAll: Bool
    /// Brings a store up to its changelog before it is owned; nil without a changelog.
    private let restore: ChangelogRestore?
    /// Publishes a partition's pending changelog rows as it is let go of (the relay's).
    private let publish = Mutex<(@Sendable ([Int32]) async -> Bool)?>(nil)
    /// Across hosts: the replica elsewhere that still claims a partition, if any.
    private let claimant = Mutex<(@Sendable (Int32) -> String?)?>(nil)
    public static let leaseName = "owner"

    public init(stores: PartitionStores, holder: String, leaseDuration: TimeInterval = 10, ownsAll: Bool = false,
                restore: ChangelogRestore? = nil, logger: Logger) {
        self.stores = stores
        self.restore = restore
        self.holder = holder
        self.leaseDuration = leaseDuration
        self.ownsAll = ownsAll
        self.logger = logger
        if ownsAll { state.withLock { $0.assigned = Dictionary(uniqueKeysWithValues: (0..<Int32(stores.count)).map { ($0, 1) }) } }
    }

    /// The partitions this replica owns now, in order.
    public var held: [Int32] { state.withLock { $0.held.sorted() } }

    /// What this replica claims: the stores it owns and those it is still letting go of
    /// (their relay may publish until they are released).
    public var claimed: [Int32] {
        state.withLock { state in
            // Restoring one assigned here claims it too: a replica elsewhere that is assigned
            // it meanwhile (this one's rebalance not yet served) would otherwise take it as
            // well, and both would write its changelog.
            let restoring = state.restoring.filter { state.assigned[$0, default: 0] > 0 }
            return state.held.union(state.releasing).union(state.lingering).union(restoring).sorted()
        }
    }

    public func isHeld(_ partition: Int32) -> Bool { state.withLock { $0.held.contains(partition) } }

    /// Whether `partition` was taken over from a holder that never released it, and the
    /// relay has not yet checked what that holder published.
    public func needsPredecessorCheck(_ partition: Int32) -> Bool { state.withLock { $0.unchecked.contains(partition) } }

    public func predecessorChecked(_ partition: Int32) { state.withLock { _ = $0.unchecked.remove(partition) } }

    /// A number for this replica's tenure of `partition`, new each time it takes it; nil
    /// while not held. What the relay learnt of a store holds for one tenure only (another
    /// owner may have published in between).
    public func tenure(of partition: Int32) -> Int? {
        state.withLock { $0.held.contains(partition) ? $0.tenures[partition] : nil }
    }

    public func isAssigned(_ partition: Int32) -> Bool { state.withLock { $0.assigned[partition, default: 0] > 0 } }

    public func assigned(_ partitions: [TopicPartition]) {
        state.withLock { state in
            for tp in partitions { state.assigned[tp.partition, default: 0] += 1 }
        }
    }

    /// Lets go of partitions: waits for a publish in flight, then releases their leases.
    /// While the process stops, the stores stay held until ``releaseAll()``: the relay
    /// publishes what was committed first.
    public func revoked(_ partitions: [TopicPartition]) {
        var released: Set<Int32> = []
        state.withLock { state in
            for tp in partitions {
                let left = state.assigned[tp.partition, default: 0] - 1
                state.assigned[tp.partition] = left > 0 ? left : nil
                if left <= 0, !state.stopping, state.held.remove(tp.partition) != nil { released.insert(tp.partition) }
            }
            state.releasing.formUnion(released)
        }
        release(released)
    }

    /// With a changelog, a store let go of has every change committed to it in Kafka
    /// before it is released: its next owner, on another host maybe, restores it from
    /// there. `body` publishes the stores' changelog rows (the relay's).
    public func publishesOnRelease(_ body: @escaping @Sendable ([Int32]) async -> Bool) {
        publish.withLock { $0 = body }
    }

    /// Across hosts, a store is taken only once no replica elsewhere claims it: one that
    /// lost its partitions without knowing yet (its session expired while the broker was
    /// away) goes on applying and publishing until it learns, and a copy restored before it
    /// let go would lack what it wrote then (its inputs applied twice). It lets go within a
    /// heartbeat of hearing, flushing its changelog first; a replica gone silent stops
    /// claiming after the directory's staleness.
    public func waitsForClaims(_ body: @escaping @Sendable (Int32) -> String?) {
        claimant.withLock { $0 = body }
    }

    /// The process is stopping: keep what is held until the relay has drained it.
    public func beginStopping() { state.withLock { $0.stopping = true } }

    /// Releases every lease held (the relay, after its last publish).
    public func releaseAll() {
        release(state.withLock { state in
            defer { (state.held, state.lingering) = ([], []) }
            return state.held.union(state.lingering)
        }, flushing: false)
    }

    /// Releases the leases. With a changelog, the stores' changelog rows are published
    /// first, all together, for up to 2 s (the rebalance waits meanwhile), and a lease goes
    /// in a transaction that finds none left. A store that still has some (the broker is
    /// away) lingers: lease and claim kept, so that no replica takes it, until
    /// ``drainLingering()`` has published them; a replica elsewhere waits for that.
    private func release(_ released: Set<Int32>, flushing: Bool = true) {
        let partitions = released.sorted()
        for partition in partitions {
            while state.withLock({ $0.publishing[partition, default: 0] > 0 }) { usleep(2_000) }
        }
        let topic = flushing ? stores.changelog?.topic : nil
        if topic != nil, !partitions.isEmpty, !flushBlocking(partitions, timeout: .seconds(2)) {
            logger.warning("partitions \(partitions.map(String.init).joined(separator: ",")): changelog not flushed in 2 s as they are let go of")
        }
        var lingering: Set<Int32> = []
        for partition in partitions {
            do {
                let done = try stores[partition].write { db -> Bool in
                    if let topic, try Outbox.hasUnpublished(topic: topic, in: db) { return false }
                    try Lease.release(Self.leaseName, holder: holder, in: db)
                    return true
                }
                if !done { lingering.insert(partition) }
            } catch {
                logger.warning("partition \(partition): lease not released (\(error)); it expires by itself")
            }
        }
        state.withLock { state in
            state.releasing.subtract(released)
            state.lingering.formUnion(lingering)
        }
        if !lingering.isEmpty {
            logger.warning("partitions \(lingering.sorted().map(String.init).joined(separator: ",")): changelog rows not in Kafka as they are let go of; still claimed until they are")
        }
        let done = released.subtracting(lingering)
        if !done.isEmpty { logger.info("released partition stores \(done.sorted().map(String.init).joined(separator: ","))") }
    }

    /// Publishes the changelog of `partitions` for up to `timeout`, blocking (the
    /// rebalance); a publish still running then goes on, and is waited for before any
    /// other of these partitions.
    private func flushBlocking(_ partitions: [Int32], timeout: Duration) -> Bool {
        guard let publish = publish.withLock({ $0 }) else { return true }
        let started = state.withLock { state -> Bool in
            guard state.draining.isDisjoint(with: partitions) else { return false }
            state.draining.formUnion(partitions)
            return true
        }
        guard started else { return false }
        let done = DispatchSemaphore(value: 0)
        let published = Atomic<Bool>(false)
        Task {
            published.store(await publish(partitions), ordering: .releasing)
            state.withLock { $0.draining.subtract(partitions) }
            done.signal()
        }
        return done.wait(timeout: .now() + .milliseconds(Int(timeout / .milliseconds(1)))) == .success && published.load(ordering: .acquiring)
    }

    /// Publishes what lingering stores still hold for the changelog, then releases them;
    /// their leases are renewed meanwhile (``run()``). A store assigned here again is
    /// simply owned again.
    func drainLingering() async {
        let partitions = state.withLock { state in
            state.lingering.subtract(state.held)
            return state.lingering.subtracting(state.draining).sorted()
        }
        guard !partitions.isEmpty, let topic = stores.changelog?.topic, let publish = publish.withLock({ $0 }) else { return }
        state.withLock { $0.draining.formUnion(partitions) }
        _ = await publish(partitions)
        state.withLock { $0.draining.subtract(partitions) }
        var released: [Int32] = []
        for partition in partitions {
            let done = try? await stores[partition].write { [holder] db -> Bool in
                guard !self.isHeld(partition), try !Outbox.hasUnpublished(topic: topic, in: db) else { return false }
                try Lease.release(Self.leaseName, holder: holder, in: db)
                return true
            }
            if done == true { released.append(partition) }
        }
        state.withLock { $0.lingering.subtract(released) }
        if !released.isEmpty { logger.info("released partition stores \(released.map(String.init).joined(separator: ",")), their changelog now in Kafka") }
    }

    /// Blocks the consumer thread until this replica holds partition `k`'s lease; false if
    /// it was revoked meanwhile, `stop` says so, or `patience` ran out: the consumer then
    /// polls again (the rebalance that moves the partition away, or another this replica
    /// must serve so that a replica elsewhere lets go of it, comes through the poll) and
    /// reads the records again.
    public func awaitHeld(_ partition: Int32, patience: Duration = .seconds(5), stop: () -> Bool) -> Bool {
        let deadline = ContinuousClock.now.advanced(by: patience)
        var waited = false
        while true {
            if state.withLock({ $0.held.contains(partition) }) { return true }
            guard isAssigned(partition), !stop() else { return false }
            if (try? take(partition)) == true { return true }
            guard ContinuousClock.now < deadline else { return false }
            if !waited {
                logger.info("partition \(partition): store held by another replica; waiting for its lease to end")
                waited = true
            }
            usleep(200_000)
        }
    }

    /// The relay publishes partition `k` only between these two calls.
    public func beginPublishing(_ partition: Int32) -> Bool {
        state.withLock { state in
            guard state.held.contains(partition) else { return false }
            state.publishing[partition, default: 0] += 1
            return true
        }
    }

    public func endPublishing(_ partition: Int32) {
        state.withLock { $0.publishing[partition, default: 1] -= 1 }
    }

    private func acquire(_ partition: Int32, as holder: String? = nil) throws -> (taken: Bool, leftBehind: Bool) {
        let (holder, duration) = (holder ?? self.holder, leaseDuration)
        return try stores[partition].write { db in
            let existed = try Bool.fetchOne(db, sql: "SELECT 1 FROM lease WHERE name = ?", arguments: [Self.leaseName]) ?? false
            return (try Lease.acquire(Self.leaseName, holder: holder, for: duration, in: db), existed)
        }
    }

    /// Takes (or renews) partition `k`'s lease; a store not yet held is first brought up to
    /// its changelog. Blocks for as long as that restore runs.
    private func take(_ partition: Int32) throws -> Bool {
        let held = state.withLock { $0.held.contains(partition) }
        guard !held else {
            guard try acquire(partition).taken else { return false }
            return state.withLock { $0.assigned[partition, default: 0] > 0 }
        }
        guard state.withLock({ $0.restoring.insert(partition).inserted }) else { return false }
        defer { state.withLock { _ = $0.restoring.remove(partition) } }
        if let other = claimant.withLock({ $0 })?(partition) {
            if dueForLog(partition) { logger.info("partition \(partition): waiting for replica \(other) on another host to let go of it") }
            return false
        }
        let acquired = try acquire(partition)
        guard acquired.taken else { return false }
        var leftBehind = acquired.leftBehind
        if let restore {
            do {
                let outcome = try restore.prepare(partition, renew: { try self.acquire(partition).taken },
                                                  stop: { !self.isAssigned(partition) || self.state.withLock { $0.stopping } })
                // Restored rows include outbox rows the changelog's writer may have published.
                if case .restored = outcome { leftBehind = true }
                state.withLock { _ = $0.failedAt.removeValue(forKey: partition) }
            } catch {
                if dueForLog(partition) { logger.error("partition \(partition): store not restored from its changelog, not owned: \(error)") }
                try? stores[partition].write { db in try Lease.release(Self.leaseName, holder: holder, in: db) }
                return false
            }
        }
        // Claimed elsewhere meanwhile (both were assigned it across a rebalance): let the
        // rebalance settle which one keeps it.
        if let other = claimant.withLock({ $0 })?(partition) {
            logger.info("partition \(partition): restored, but replica \(other) on another host claims it; not taken")
            try? stores[partition].write { db in try Lease.release(Self.leaseName, holder: holder, in: db) }
            return false
        }
        let (kept, new) = state.withLock { state -> (Bool, Bool) in
            guard state.assigned[partition, default: 0] > 0 else { return (false, false) }
            let new = state.held.insert(partition).inserted
            if new, leftBehind { state.unchecked.insert(partition) }
            if new {
                state.taken += 1
                state.tenures[partition] = state.taken
            }
            return (true, new)
        }
        if new { logger.info("partition \(partition): store owned") }
        return kept
    }

    /// Whether a partition that could not be taken is due a log line: at most one per 30 s
    /// each, as a consumer retries it every few seconds.
    private func dueForLog(_ partition: Int32) -> Bool {
        state.withLock { state in
            if let last = state.failedAt[partition], last.duration(to: .now) < .seconds(30) { return false }
            state.failedAt[partition] = .now
            return true
        }
    }

    /// Runs `body` on the standby copy of a partition this replica neither owns nor was
    /// assigned, under the store's lease, so that no replica of this host takes the store
    /// while it runs; `body`'s `stop` says when the partition was assigned meanwhile (its
    /// restore takes over) or the process is stopping. Nil when the copy is not free.
    public func warm<Pass>(_ partition: Int32, _ body: (_ renew: () throws -> Bool, _ stop: () -> Bool) throws -> Pass) throws -> Pass? {
        let free = state.withLock { state in
            !state.stopping && !state.held.contains(partition) && state.assigned[partition, default: 0] == 0
                && state.restoring.insert(partition).inserted
        }
        guard free else { return nil }
        defer { state.withLock { _ = $0.restoring.remove(partition) } }
        // Under a holder name of its own: a store held for a standby copy is not owned (``PartitionStores/ownedHere(_:_:)``).
        let standby = Lease.standbyHolder(holder)
        guard try acquire(partition, as: standby).taken else { return nil }
        defer { try? stores[partition].write { db in try Lease.release(Self.leaseName, holder: standby, in: db) } }
        return try body({ try self.acquire(partition, as: standby).taken }, { self.isAssigned(partition) || self.state.withLock { $0.stopping } })
    }

    /// Renews held leases and takes assigned ones that have come free, a third of a lease
    /// apart; a lease lost to another replica (this one was paused past its expiry) is
    /// dropped at once. Runs until the relay has stopped (it is shut down last).
    public func run() async throws {
        let interval = Duration.milliseconds(Int(leaseDuration * 1000 / 3))
        // Not awaited at the end: a publish may wait for the broker as long as it is away.
        let drain = Task {
            while !Task.isCancelled {
                await self.drainLingering()
                try? await Task.sleep(for: .milliseconds(500))
            }
        }
        defer { drain.cancel() }
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            for partition in state.withLock({ $0.lingering.subtracting($0.held) }).sorted() {
                // Kept until drained; one taken by a replica of this host is its to publish.
                if (try? acquire(partition).taken) != true { state.withLock { _ = $0.lingering.remove(partition) } }
            }
            let (assigned, held) = state.withLock { (Set($0.assigned.keys), $0.held) }
            for partition in assigned.sorted() {
                do {
                    if !held.contains(partition) {
                        // Taking may restore a store from its changelog: off the cooperative pool.
                        _ = await BlockingThread.run(name: "partition-restore") { (try? self.take(partition)) ?? false }
                    } else if try !take(partition) {
                        state.withLock { _ = $0.held.remove(partition) }
                        logger.error("partition \(partition): lease taken by another replica; no longer owned")
                    }
                } catch {
                    logger.warning("partition \(partition): lease not renewed: \(error)")
                }
            }
            try? await Task.sleep(for: interval)
        }
    }
}
