public import Foundation
public import Metrics
import Synchronization

/// The runtime's metrics. Labels carry event types, topics and reasons: never ids or
/// anything personal.
public final class RuntimeMetrics: Sendable {
    private let counters = Mutex<[String: Counter]>([:])
    public let handlerDuration = Timer(label: "homeward_event_handler_duration_seconds", preferredDisplayUnit: .seconds)
    /// Partitions whose store this replica owns (applies and publishes).
    public let ownedPartitions = Gauge(label: "homeward_partitions_owned")
    private let backlogs = Mutex<[Int32: Gauge]>([:])

    private let hops = Mutex<[String: Timer]>([:])

    public init() {}

    /// The buckets of ``hopLabel``, fine where the targets are (milliseconds), so that
    /// p50/p95/p99 read from the histogram mean something.
    public static let hopLabel = "homeward_event_hop_seconds"
    public static let hopBuckets: [Duration] = [1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 75, 100, 150, 200, 300, 500, 750,
                                                1000, 2000, 5000, 10000].map { .milliseconds($0) }

    /// Publish to commit: the broker's timestamp of a consumed message to the moment its
    /// transaction committed, per source topic.
    public func hop(topic: String, timestampMs: Int64, committedAt now: Date) {
        let timer = hops.withLock { hops in
            if let timer = hops[topic] { return timer }
            let timer = Timer(label: Self.hopLabel, dimensions: [("topic", topic)], preferredDisplayUnit: .seconds)
            hops[topic] = timer
            return timer
        }
        let nanoseconds = (now.timeIntervalSince1970 * 1e9) - Double(timestampMs) * 1e6
        timer.recordNanoseconds(Int64(max(0, nanoseconds)))
    }

    /// Unpublished outbox rows of the partition stores this replica owns: the only
    /// per-partition label, never per case. A partition no longer owned reads 0 here (its
    /// new owner reports it), so that the sum over replicas stays the stage's backlog.
    public func outboxBacklog(_ rows: [Int32: Int]) {
        backlogs.withLock { backlogs in
            for partition in rows.keys where backlogs[partition] == nil {
                backlogs[partition] = Gauge(label: "homeward_outbox_backlog", dimensions: [("partition", String(partition))])
            }
            for (partition, gauge) in backlogs { gauge.record(rows[partition] ?? 0) }
        }
    }

    /// Changelog records applied to partition stores taken over (``ChangelogRestore``).
    public let restoredRecords = Counter(label: "homeward_changelog_restored_records_total")
    public let restoreDuration = Timer(label: "homeward_changelog_restore_seconds", preferredDisplayUnit: .seconds)
    private let restoring = Mutex<[Int32: Gauge]>([:])
    /// Changelog records applied to standby copies (``StandbyReplicas``), how many copies
    /// this replica keeps, and the records they lacked at their last pass.
    public let standbyRecords = Counter(label: "homeward_changelog_standby_records_total")
    public let standbyPartitions = Gauge(label: "homeward_changelog_standby_partitions")
    public let standbyLag = Gauge(label: "homeward_changelog_standby_lag_records")

    /// Changelog records a restore in progress has still to apply, per partition.
    public func restoreRemaining(_ partition: Int32, _ records: Int) {
        restoring.withLock { gauges in
            if gauges[partition] == nil {
                gauges[partition] = Gauge(label: "homeward_changelog_restore_remaining_records", dimensions: [("partition", String(partition))])
            }
            gauges[partition]!.record(records)
        }
    }

    public func consumed(_ type: String, count: Int = 1) { counter("homeward_events_consumed_total", ("type", type)).increment(by: count) }
    public func applied(_ type: String, count: Int = 1) { counter("homeward_events_applied_total", ("type", type)).increment(by: count) }
    public func duplicate(_ type: String, count: Int = 1) { counter("homeward_events_duplicate_total", ("type", type)).increment(by: count) }
    public func deadLettered(reason: String) { counter("homeward_events_dead_lettered_total", ("reason", reason)).increment() }
    public func produced(topic: String, count: Int) {
        counter("homeward_events_produced_total", ("topic", topic)).increment(by: count)
    }

    private func counter(_ label: String, _ dimension: (String, String)) -> Counter {
        let key = label + "|" + dimension.1
        return counters.withLock { counters in
            if let counter = counters[key] { return counter }
            let counter = Counter(label: label, dimensions: [dimension])
            counters[key] = counter
            return counter
        }
    }
}
