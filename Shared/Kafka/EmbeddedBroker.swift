internal import CRdKafka
import Foundation
public import Logging

/// librdkafka's mock cluster: a Kafka protocol server on loopback for local runs and
/// tests, reached by other processes as any broker. Memory only; each partition keeps at
/// most 100,000 messages or 5 MiB. No CreateTopics API: topics are created here.
///
/// The fault controls drive real protocol behaviour: a broker set down drops its
/// connections and refuses new ones; pushed errors fail the next requests of an API.
public final class EmbeddedBroker: @unchecked Sendable {
    private let handle: OpaquePointer
    private let cluster: OpaquePointer
    private let context: RdKafkaContext
    private let lock = NSLock()
    private var isShutDown = false
    public let bootstrapServers: String
    public let brokerCount: Int

    public init(brokers: Int = 1, logger: Logger) throws(KafkaError) {
        let context = RdKafkaContext(logger: logger)
        // The cluster needs a handle for its bookkeeping; this one never connects anywhere.
        handle = try context.makeHandle(RD_KAFKA_PRODUCER, config: KafkaConfig(bootstrapServers: "", properties: ["log_level": "3"]))
        guard let cluster = rd_kafka_mock_cluster_new(handle, Int32(brokers)) else {
            rd_kafka_destroy(handle)
            throw .configuration("could not start the embedded broker")
        }
        self.cluster = cluster
        self.context = context
        self.brokerCount = brokers
        bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(cluster))
    }

    public func createTopic(_ spec: TopicSpec) throws(KafkaError) {
        let err = rd_kafka_mock_topic_create(cluster, spec.name, Int32(spec.partitions), Int32(min(spec.replicationFactor, brokerCount)))
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(err, context: "create topic \(spec.name)") }
    }

    /// Broker ids run from 1 to ``brokerCount``.
    public func setBrokerDown(_ id: Int32) throws(KafkaError) {
        let err = rd_kafka_mock_broker_set_down(cluster, id)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(err, context: "broker \(id) down") }
    }

    public func setBrokerUp(_ id: Int32) throws(KafkaError) {
        let err = rd_kafka_mock_broker_set_up(cluster, id)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(err, context: "broker \(id) up") }
    }

    /// Delays every response of a broker by `milliseconds`.
    public func setRoundTripTime(broker id: Int32, milliseconds: Int) throws(KafkaError) {
        let err = rd_kafka_mock_broker_set_rtt(cluster, id, Int32(milliseconds))
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(err, context: "broker \(id) rtt") }
    }

    /// Makes the next `errors.count` requests of a Kafka API fail with these error codes,
    /// in order. `apiKey` is the protocol request type (0 Produce, 1 Fetch, 8 OffsetCommit…).
    public func pushRequestErrors(apiKey: Int16, errors: [Int32]) {
        let codes = errors.map { rd_kafka_resp_err_t(rawValue: $0) }
        codes.withUnsafeBufferPointer { buffer in
            rd_kafka_mock_push_request_errors_array(cluster, apiKey, buffer.count, buffer.baseAddress)
        }
    }

    public func shutdown() {
        lock.lock()
        defer { lock.unlock() }
        guard !isShutDown else { return }
        isShutDown = true
        rd_kafka_mock_cluster_destroy(cluster)
        rd_kafka_destroy(handle)
    }

    deinit { shutdown() }
}
