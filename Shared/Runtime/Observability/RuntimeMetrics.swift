public import Metrics
import Synchronization

/// The runtime's metrics. Labels carry event types, topics and reasons: never ids or
/// anything personal.
public final class RuntimeMetrics: Sendable {
    private let counters = Mutex<[String: Counter]>([:])
    public let handlerDuration = Timer(label: "homeward_event_handler_duration_seconds", preferredDisplayUnit: .seconds)
    public let outboxBacklog = Gauge(label: "homeward_outbox_backlog")

    public init() {}

    public func consumed(_ type: String) { counter("homeward_events_consumed_total", ("type", type)).increment() }
    public func applied(_ type: String) { counter("homeward_events_applied_total", ("type", type)).increment() }
    public func duplicate(_ type: String) { counter("homeward_events_duplicate_total", ("type", type)).increment() }
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
