internal import CRdKafka
import Foundation
public import Logging

/// A consumer-group member that hands batches of records to a handler on its own thread
/// and stores each record's offset only after the handler returned for it.
///
/// Guarantees, in librdkafka terms:
/// - `enable.auto.offset.store=false`: an offset is stored (offset + 1) only after the
///   handler, which commits the records' effects to the service's store, has returned.
///   Stored offsets are committed every `auto.commit.interval.ms`, on revoke and on close.
///   A crash anywhere re-delivers at most what was not yet committed; the handler's
///   inbox makes those re-deliveries no-ops.
/// - `partition.assignment.strategy=range`: every member subscribes to the same topics,
///   so partition k of each goes to one member (the topics are co-partitioned: a case's
///   events share a partition number on every topic, and with it one partition store).
///   The rebalance callback runs inside `poll` on the consumer thread, where the handler
///   also runs, so on revoke no work is in flight: records already polled are handled,
///   their offsets stored and committed synchronously, the ``RebalanceListener`` lets go
///   of the partitions' state, and only then are the partitions released.
/// - Polls, commits and close block a dedicated thread, never Swift's cooperative pool.
public final class KafkaConsumer: Sendable {
    /// Applies a batch of records. Runs on the consumer thread. Throwing means "nothing
    /// of this batch was applied": the batch is retried with backoff, offsets untouched.
    public typealias BatchHandler = @Sendable ([ConsumedMessage]) throws -> Void

    private let context: ConsumerContext
    private let groupID: String

    public init(config: KafkaConfig, groupID: String, topics: [String], listener: RebalanceListener = RebalanceListener(),
                logger: Logger) throws(KafkaError) {
        self.groupID = groupID
        let config = config
            .with(defaults: [
                "auto.offset.reset": "earliest",
                "session.timeout.ms": "10000",
                "heartbeat.interval.ms": "1000",
                "auto.commit.interval.ms": "1000",
                "enable.partition.eof": "false",
                "client.id": "homeward",
            ])
            .with(overrides: [
                "group.id": groupID,
                "enable.auto.offset.store": "false",
                "enable.auto.commit": "true",
                "partition.assignment.strategy": "range",
            ])
        let context = ConsumerContext(logger: logger, listener: listener)
        let handle = try context.makeHandle(RD_KAFKA_CONSUMER, config: config) { conf in
            rd_kafka_conf_set_rebalance_cb(conf, { rk, err, partitions, opaque in
                guard let rk, let opaque else { return }
                Unmanaged<ConsumerContext>.fromOpaque(opaque).takeUnretainedValue().rebalance(rk, err, partitions)
            })
        }
        context.handle = handle
        rd_kafka_poll_set_consumer(handle)
        let list = rd_kafka_topic_partition_list_new(Int32(topics.count))
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for topic in topics { rd_kafka_topic_partition_list_add(list, topic, RD_KAFKA_PARTITION_UA) }
        let err = rd_kafka_subscribe(handle, list)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            rd_kafka_destroy(handle)
            throw KafkaError(err, context: "subscribe to \(topics.joined(separator: ", "))")
        }
        self.context = context
    }

    /// Polls and handles records until ``stop()``, then commits and closes the consumer.
    /// Returns when closed, or after `closeTimeout` if librdkafka hangs in close.
    public func run(maxBatch: Int = 500, closeTimeout: Duration = .seconds(10), handler: @escaping BatchHandler) async {
        context.handler = handler
        context.maxBatch = maxBatch
        let context = self.context
        // The thread ends the wait when closed; the close deadline starts with the stop.
        // Cancelling the caller stops the consumer, and it still waits for the close.
        let closed = await withTaskCancellationHandler {
            await BlockingThread.run(name: "kafka-consumer", deadline: { wait in
                context.stopRequest.onRequest { wait.arm(timeout: closeTimeout) }
            }) {
                context.loop()
            }
        } onCancel: {
            context.stopRequest.request()
        }
        if !closed { context.logger.error("Kafka consumer did not close within \(closeTimeout); leaving it") }
    }

    /// Asks the loop to finish the batch in hand, commit and close.
    public func stop() { context.stopRequest.request() }

    /// True once ``stop()`` was called: a handler waiting for something gives up.
    public var isStopping: Bool { context.stopRequest.isRequested }

}

/// The consumer's thread-confined state, reached from librdkafka's callbacks as opaque.
final class ConsumerContext: RdKafkaContext, @unchecked Sendable {
    var handle: OpaquePointer!
    let listener: RebalanceListener
    var handler: KafkaConsumer.BatchHandler = { _ in }
    var maxBatch = 500
    let stopRequest = StopRequest()
    /// Records polled but not yet handled; touched only on the consumer thread.
    private var pending: [ConsumedMessage] = []
    /// Batches failed in a row, for the back-off; consumer thread only.
    private var failures = 0
    /// 100 ms, doubling, at most 5 s.
    private static let backoff = Backoff(first: .milliseconds(100), limit: .seconds(5))

    init(logger: Logger, listener: RebalanceListener) {
        self.listener = listener
        super.init(logger: logger)
    }

    func loop() {
        while !stopRequest.isRequested {
            guard let first = pollMessage(timeoutMs: 100) else { continue }
            pending = [first]
            while pending.count < maxBatch, let next = pollMessage(timeoutMs: 0) { pending.append(next) }
            handlePending()
        }
        handlePending()
        commitStored(reason: "close")
        let err = rd_kafka_consumer_close(handle)  // revokes through the callback, which commits
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { logger.warning("Kafka consumer close: \(KafkaError(err))") }
        rd_kafka_destroy(handle)
        logger.debug("Kafka consumer closed")
    }

    /// One record, copied out and destroyed at once; nil on timeout or a non-record event.
    func pollMessage(timeoutMs: Int32) -> ConsumedMessage? {
        guard let message = rd_kafka_consumer_poll(handle, timeoutMs) else { return nil }
        defer { rd_kafka_message_destroy(message) }
        let m = message.pointee
        if m.err != RD_KAFKA_RESP_ERR_NO_ERROR {
            if m.err != RD_KAFKA_RESP_ERR__PARTITION_EOF {
                logger.warning("Kafka consumer: \(KafkaError(m.err))")
            }
            return nil
        }
        var headers: [KafkaHeader] = []
        var hdrs: OpaquePointer?
        if rd_kafka_message_headers(message, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR, let hdrs {
            var index = 0
            var name: UnsafePointer<CChar>?
            var value: UnsafeRawPointer?
            var size = 0
            while rd_kafka_header_get_all(hdrs, index, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
                let bytes = value.map { Data(bytes: $0, count: size) } ?? Data()
                headers.append(KafkaHeader(name: name.map { String(cString: $0) } ?? "", value: bytes))
                index += 1
            }
        }
        var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let timestamp = rd_kafka_message_timestamp(message, &timestampType)
        return ConsumedMessage(
            topic: String(cString: rd_kafka_topic_name(m.rkt)),
            partition: m.partition,
            offset: m.offset,
            key: m.key.map { Data(bytes: $0, count: m.key_len) },
            value: m.payload.map { Data(bytes: $0, count: m.len) } ?? Data(),
            headers: headers,
            timestampMs: timestamp >= 0 ? timestamp : nil
        )
    }

    /// Hands the pending records to the handler, then stores their offsets. A batch that
    /// fails is read again: its partitions are sought back to its first records, and the
    /// thread goes back to polling meanwhile, so that a rebalance (the partition a handler
    /// waits for may have moved away) is served instead of waited out.
    private func handlePending(inRebalance: Bool = false) {
        guard !pending.isEmpty else { return }
        defer { pending = [] }
        do {
            try handler(pending)
            failures = 0
            storeOffsets(of: pending)
        } catch {
            if stopRequest.isRequested {
                logger.error("Kafka consumer: batch not applied at shutdown; it will be redelivered: \(error)")
                return
            }
            failures += 1
            seekBack(to: pending)
            let delay = inRebalance ? .zero : Self.backoff.delay(afterFailures: failures)
            // Attempts 1, 2, 4, 8…: a partition waited for across a rebalance fails every few seconds.
            if failures & (failures - 1) == 0 {
                logger.error("Kafka consumer: batch failed (attempt \(failures)), read again in \(Int(delay / .milliseconds(1))) ms: \(error)")
            }
            stopRequest.pause(for: delay)  // zero in a rebalance; ends early on a stop
        }
    }

    /// Sets each partition of `messages` back to its first record there (re-fetched).
    private func seekBack(to messages: [ConsumedMessage]) {
        var first: [TopicPartition: Int64] = [:]
        for m in messages { first[m.topicPartition] = min(first[m.topicPartition] ?? .max, m.offset) }
        let list = rd_kafka_topic_partition_list_new(Int32(first.count))!
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for (tp, offset) in first {
            rd_kafka_topic_partition_list_add(list, tp.topic, tp.partition).pointee.offset = offset
        }
        // Waits for the fetcher, so that no record fetched before is handed out again after.
        if let error = rd_kafka_seek_partitions(handle, list, 2000) {
            logger.warning("Kafka consumer: seek back failed: \(KafkaError(consuming: error))")
        }
    }

    private func storeOffsets(of messages: [ConsumedMessage]) {
        var next: [TopicPartition: Int64] = [:]
        for m in messages { next[m.topicPartition] = max(next[m.topicPartition] ?? 0, m.offset + 1) }
        let list = rd_kafka_topic_partition_list_new(Int32(next.count))!
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for (tp, offset) in next {
            rd_kafka_topic_partition_list_add(list, tp.topic, tp.partition).pointee.offset = offset
        }
        let err = rd_kafka_offsets_store(handle, list)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            // A partition revoked meanwhile: its new owner re-reads these; the inbox dedupes.
            logger.debug("Kafka consumer: offsets not stored: \(KafkaError(err))")
        }
    }

    private func commitStored(reason: String) {
        let err = rd_kafka_commit(handle, nil, 0)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR__NO_OFFSET {
            logger.warning("Kafka consumer: commit on \(reason) failed: \(KafkaError(err))")
        }
    }

    /// Eager (range) and cooperative protocols both: the first hands over and takes back
    /// the whole assignment at each rebalance, the second only what moves.
    func rebalance(_ rk: OpaquePointer, _ err: rd_kafka_resp_err_t, _ partitions: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?) {
        let names = describe(partitions)
        let moved = partitions.map(partitionsOf) ?? []
        let cooperative = String(cString: rd_kafka_rebalance_protocol(rk)) == "COOPERATIVE"
        switch err {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
            logger.info("Kafka consumer: assigned \(names)")
            listener.assigned(moved)
            if cooperative {
                if let error = rd_kafka_incremental_assign(rk, partitions) {
                    logger.error("Kafka consumer: assign failed: \(KafkaError(consuming: error))")
                }
            } else {
                let err = rd_kafka_assign(rk, partitions)
                if err != RD_KAFKA_RESP_ERR_NO_ERROR { logger.error("Kafka consumer: assign failed: \(KafkaError(err))") }
            }
        case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
            let lost = rd_kafka_assignment_lost(rk) != 0
            logger.info("Kafka consumer: \(lost ? "lost" : "revoked") \(names)")
            handlePending(inRebalance: true)
            if !lost { commitStored(reason: "revoke") }
            listener.revoked(moved)
            if cooperative {
                if let error = rd_kafka_incremental_unassign(rk, partitions) {
                    logger.error("Kafka consumer: unassign failed: \(KafkaError(consuming: error))")
                }
            } else {
                _ = rd_kafka_assign(rk, nil)
            }
        default:
            logger.error("Kafka consumer: rebalance error: \(KafkaError(err))")
            listener.revoked(moved)
            _ = rd_kafka_assign(rk, nil)
        }
    }

    private func describe(_ list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?) -> String {
        guard let list else { return "nothing" }
        return partitionsOf(list).map(\.description).joined(separator: ", ")
    }
}

func partitionsOf(_ list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) -> [TopicPartition] {
    (0..<Int(list.pointee.cnt)).map { i in
        let e = list.pointee.elems[i]
        return TopicPartition(topic: String(cString: e.topic), partition: e.partition)
    }
}
