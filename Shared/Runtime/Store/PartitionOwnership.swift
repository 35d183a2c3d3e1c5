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
        var publishing: [Int32: Int] = [:]
        /// Held, taken over from a lease its holder never released (killed, or paused past
        /// its expiry): the relay first checks what that holder published.
        var unchecked: Set<Int32> = []
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
    private let flush = Mutex<(@Sendable ([Int32], Duration) -> Bool)?>(nil)
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

    public func isHeld(_ partition: Int32) -> Bool { state.withLock { $0.held.contains(partition) } }

    /// Whether `partition` was taken over from a holder that never released it, and the
    /// relay has not yet checked what that holder published.
    public func needsPredecessorCheck(_ partition: Int32) -> Bool { state.withLock { $0.unchecked.contains(partition) } }

    public func predecessorChecked(_ partition: Int32) { state.withLock { _ = $0.unchecked.remove(partition) } }

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
        }
        release(released)
    }

    /// With a changelog, a store let go of first has every change committed to it in
    /// Kafka: its next owner, on another host maybe, restores it from there once the
    /// rebalance this runs in is over.
    public func flushesOnRelease(_ body: @escaping @Sendable ([Int32], Duration) -> Bool) {
        flush.withLock { $0 = body }
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
            defer { state.held = [] }
            return state.held
        }, flushing: false)
    }

    /// Releases the leases. With a changelog, the stores' changelog rows are published
    /// first, all together within 2 s (the rebalance waits meanwhile), and a lease goes in
    /// a transaction that finds none left; a staff change that committed after the flush
    /// (the write fence lets it while the lease lasts) gets one more second. What is still
    /// not in Kafka then stays here: published by a next owner on this host, rebuilt away
    /// by one elsewhere.
    private func release(_ released: Set<Int32>, flushing: Bool = true) {
        let partitions = released.sorted()
        for partition in partitions {
            while state.withLock({ $0.publishing[partition, default: 0] > 0 }) { usleep(2_000) }
        }
        let topic = stores.changelog?.topic
        let flush = flushing && topic != nil ? self.flush.withLock({ $0 }) : nil
        if let flush, !partitions.isEmpty, !flush(partitions, .seconds(2)) {
            logger.warning("partitions \(partitions.map(String.init).joined(separator: ",")): changelog not flushed in 2 s as they are let go of")
        }
        for partition in partitions {
            do {
                var retried = false
                while true {
                    let done = try stores[partition].write { db -> Bool in
                        if let topic, flush != nil, !retried, try Outbox.hasUnpublished(topic: topic, in: db) { return false }
                        try Lease.release(Self.leaseName, holder: holder, in: db)
                        return true
                    }
                    if done { break }
                    retried = true
                    if flush?([partition], .seconds(1)) != true {
                        logger.warning("partition \(partition): changelog rows not in Kafka as the store is let go of; published by a next owner on this host, or rebuilt away by one elsewhere")
                    }
                }
            } catch {
                logger.warning("partition \(partition): lease not released (\(error)); it expires by itself")
            }
        }
        if !released.isEmpty { logger.info("released partition stores \(released.sorted().map(String.init).joined(separator: ","))") }
    }

    /// Blocks the consumer thread until this replica holds partition `k`'s lease; false if
    /// it was revoked meanwhile or `stop` says so.
    public func awaitHeld(_ partition: Int32, stop: () -> Bool) -> Bool {
        var waited = false
        while true {
            if state.withLock({ $0.held.contains(partition) }) { return true }
            guard isAssigned(partition), !stop() else { return false }
            if (try? take(partition)) == true { return true }
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
            let log = state.withLock { state -> Bool in
                if let last = state.failedAt[partition], last.duration(to: .now) < .seconds(30) { return false }
                state.failedAt[partition] = .now
                return true
            }
            if log { logger.info("partition \(partition): waiting for replica \(other) on another host to let go of it") }
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
                let now = ContinuousClock.now
                let log = state.withLock { state -> Bool in
                    if let last = state.failedAt[partition], last.duration(to: now) < .seconds(30) { return false }
                    state.failedAt[partition] = now
                    return true
                }
                if log { logger.error("partition \(partition): store not restored from its changelog, not owned: \(error)") }
                try? stores[partition].write { db in try Lease.release(Self.leaseName, holder: holder, in: db) }
                return false
            }
        }
        let (kept, new) = state.withLock { state -> (Bool, Bool) in
            guard state.assigned[partition, default: 0] > 0 else { return (false, false) }
            let new = state.held.insert(partition).inserted
            if new, leftBehind { state.unchecked.insert(partition) }
            return (true, new)
        }
        if new { logger.info("partition \(partition): store owned") }
        return kept
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
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
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
