import Foundation
import Kafka
public import Logging
public import ServiceLifecycle

/// Warm copies of partition stores this replica does not own (`STORE_STANDBY_REPLICAS`), as
/// Kafka Streams keeps standby tasks: every second each copy applies what its changelog
/// gained, so that when the owner's host is lost the new owner applies only the last
/// second's records instead of the whole changelog.
///
/// Which copies a replica keeps follows from the owners directory alone, so every replica
/// works it out the same way without talking to the others (``partitions(for:count:live:owners:)``).
public final class StandbyReplicas: Service, Sendable {
    private let count: Int
    private let partitionCount: Int
    private let routing: PartitionRouting
    private let ownership: PartitionOwnership
    private let restore: ChangelogRestore
    private let metrics: RuntimeMetrics
    private let interval: Duration
    private let logger: Logger

    public init(count: Int, partitionCount: Int, routing: PartitionRouting, ownership: PartitionOwnership, restore: ChangelogRestore,
                metrics: RuntimeMetrics, interval: Duration = .seconds(1), logger: Logger) {
        self.count = count
        self.partitionCount = partitionCount
        self.routing = routing
        self.ownership = ownership
        self.restore = restore
        self.metrics = metrics
        self.interval = interval
        self.logger = logger
    }

    /// The partitions whose standby copies `replica` keeps: for each partition with a live
    /// owner, the `count` data directories that follow the owner's in the order of their ids
    /// (wrapping round), each kept by the first of its live replicas by id. Replicas sharing
    /// a directory share its stores, so a directory counts once, and the owner's own never
    /// keeps a standby copy: it holds the store itself.
    public static func partitions(for replica: String, count: Int, live: [OwnerAnnouncement], owners: [Int32: OwnerAnnouncement]) -> [Int32] {
        guard count > 0, let me = live.first(where: { $0.replica == replica }),
              live.filter({ $0.volume == me.volume }).map(\.replica).min() == replica else { return [] }
        let volumes = Set(live.map(\.volume)).sorted()
        return owners.keys.sorted().filter { partition in
            let owner = owners[partition]!.volume
            guard owner != me.volume, let at = volumes.firstIndex(of: owner) else { return false }
            return (1...min(count, volumes.count - 1)).contains { volumes[(at + $0) % volumes.count] == me.volume }
        }
    }

    public func run() async throws {
        var kept: [Int32] = []
        var failedAt: [Int32: ContinuousClock.Instant] = [:]
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let directory = routing.directory
            var owners: [Int32: OwnerAnnouncement] = [:]
            for partition in 0..<Int32(partitionCount) { owners[partition] = directory.owner(of: partition) }
            let now = Self.partitions(for: routing.replica, count: count, live: directory.live(), owners: owners)
            if now != kept {
                logger.info("standby copies of partitions \(now.isEmpty ? "none" : now.map(String.init).joined(separator: ","))")
                metrics.standbyPartitions.record(now.count)
                kept = now
            }
            var lag: Int64 = 0
            for partition in now where !Task.isShuttingDownGracefully {
                let (ownership, restore) = (ownership, restore)
                let result = await BlockingThread.run(name: "standby") {
                    Result { try ownership.warm(partition) { renew, stop in try restore.warm(partition, renew: renew, stop: stop) } }
                }
                switch result {
                case .success(let pass):
                    lag += pass?.behind ?? 0
                    logger.debug("partition \(partition): standby pass \(pass.map { "applied \($0.applied), behind \($0.behind)" } ?? "skipped: the store is busy here")")
                case .failure(let error):
                    if failedAt[partition].map({ $0.duration(to: .now) >= .seconds(30) }) ?? true {
                        logger.warning("partition \(partition): standby copy not brought up to its changelog: \(error)")
                        failedAt[partition] = .now
                    }
                }
            }
            metrics.standbyLag.record(lag)
            try? await Task.sleep(for: interval)
        }
    }
}
