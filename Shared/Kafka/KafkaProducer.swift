internal import CRdKafka
import Foundation
public import Logging
import Synchronization

/// An idempotent Kafka producer whose sends complete when the broker acknowledges them.
///
/// `enable.idempotence=true` (so acks=all, in-order retries without duplicates from the
/// producer's own retries), `message.timeout.ms=0` (retry until delivered) and
/// `partitioner=murmur2_random` (a keyed record lands where Kafka's Java client would put
/// it, see ``KafkaPartitioner``) are forced: an outage delays delivery, it never drops a
/// record. A full local queue waits.
/// Delivery reports are served by a thread of the producer's own.
public final class KafkaProducer: Sendable {
    let handle: Handle
    private let context: RdKafkaContext
    private let logger: Logger

    /// The `rd_kafka_t` and its life, shared with the poll thread, which releases it.
    final class Handle: @unchecked Sendable {
        let pointer: OpaquePointer
        let state = Mutex(ProducerStateMachine())
        /// Signalled once the poll thread has released the handle.
        let released = DispatchSemaphore(value: 0)
        init(_ pointer: OpaquePointer) { self.pointer = pointer }
    }

    public init(config: KafkaConfig, logger: Logger) throws(KafkaError) {
        self.logger = logger
        let context = RdKafkaContext(logger: logger)
        let config = config
            .with(defaults: ["linger.ms": "2", "compression.type": "lz4", "client.id": "homeward"])
            .with(overrides: ["enable.idempotence": "true", "acks": "all", "message.timeout.ms": "0",
                              "partitioner": "murmur2_random"])
        let pointer = try context.makeHandle(RD_KAFKA_PRODUCER, config: config) { conf in
            rd_kafka_conf_set_dr_msg_cb(conf, { _, message, _ in
                guard let message, let opaque = message.pointee._private else { return }
                let token = Unmanaged<DeliveryToken>.fromOpaque(opaque).takeRetainedValue()
                let m = message.pointee
                let result: Result<DeliveryReport, KafkaError>
                if m.err == RD_KAFKA_RESP_ERR_NO_ERROR {
                    result = .success(DeliveryReport(
                        topic: String(cString: rd_kafka_topic_name(m.rkt)), partition: m.partition, offset: m.offset))
                } else {
                    result = .failure(KafkaError(m.err))
                }
                token.batch.complete(token.index, with: result)
            })
        }
        self.context = context
        self.handle = Handle(pointer)
        // The poll thread destroys the handle after its last poll, closed or dropped, and keeps
        // the context alive until then: librdkafka may call back into it (error and log
        // callbacks carry it as their opaque pointer).
        let thread = Thread { [handle, context] in
            withExtendedLifetime(context) {
                while handle.state.withLock({ $0.isPolling }) { rd_kafka_poll(handle.pointer, 100) }
                rd_kafka_destroy(handle.pointer)
            }
            handle.state.withLock { $0.pollerStopped() }
            handle.released.signal()
        }
        thread.name = "kafka-producer-poll"
        thread.start()
    }

    /// Sends one record and waits for the broker's acknowledgement.
    @discardableResult
    public func send(_ message: OutgoingMessage) async throws(KafkaError) -> DeliveryReport {
        try await send([message])[0].get()
    }

    /// Sends records in order and waits until the broker has acknowledged or refused each.
    /// Results are in the order of `messages`.
    public func send(_ messages: [OutgoingMessage]) async -> [Result<DeliveryReport, KafkaError>] {
        guard !messages.isEmpty else { return [] }
        let batch = DeliveryBatch(count: messages.count)
        for (index, message) in messages.enumerated() {
            await enqueue(message, token: DeliveryToken(batch: batch, index: index))
        }
        return await batch.wait()
    }

    private func enqueue(_ message: OutgoingMessage, token: DeliveryToken) async {
        while true {
            let opaque = Unmanaged.passRetained(token).toOpaque()
            let error = produce(message, opaque: opaque)
            guard let error else { return }
            Unmanaged<DeliveryToken>.fromOpaque(opaque).release()
            if error.code == RD_KAFKA_RESP_ERR__QUEUE_FULL.rawValue && handle.state.withLock({ $0.isPolling }) {
                try? await Task.sleep(for: .milliseconds(5))  // the poll thread drains reports meanwhile
                continue
            }
            token.batch.complete(token.index, with: .failure(error))
            return
        }
    }

    private func produce(_ message: OutgoingMessage, opaque: UnsafeMutableRawPointer) -> KafkaError? {
        var allocations: [UnsafeMutableRawPointer] = []
        defer { allocations.forEach { free($0) } }
        func cString(_ s: String) -> UnsafeMutablePointer<CChar> {
            let p = strdup(s)!
            allocations.append(UnsafeMutableRawPointer(p))
            return p
        }
        func bytes(_ data: Data) -> (UnsafeMutableRawPointer, Int) {
            let p = malloc(max(data.count, 1))!
            data.copyBytes(to: p.assumingMemoryBound(to: UInt8.self), count: data.count)
            allocations.append(p)
            return (p, data.count)
        }

        var vus: [rd_kafka_vu_t] = []
        var vu = rd_kafka_vu_t()
        vu.vtype = RD_KAFKA_VTYPE_TOPIC
        vu.u.cstr = UnsafePointer(cString(message.topic))
        vus.append(vu)
        if let partition = message.partition {
            vu = rd_kafka_vu_t()
            vu.vtype = RD_KAFKA_VTYPE_PARTITION
            vu.u.i32 = partition
            vus.append(vu)
        }
        if let key = message.key {
            let (p, n) = bytes(Data(key.utf8))
            vu = rd_kafka_vu_t()
            vu.vtype = RD_KAFKA_VTYPE_KEY
            vu.u.mem.ptr = p
            vu.u.mem.size = n
            vus.append(vu)
        }
        // An empty value goes as null: a tombstone, which compaction removes with its key.
        if !message.value.isEmpty {
            let (valuePointer, valueCount) = bytes(message.value)
            vu = rd_kafka_vu_t()
            vu.vtype = RD_KAFKA_VTYPE_VALUE
            vu.u.mem.ptr = valuePointer
            vu.u.mem.size = valueCount
            vus.append(vu)
        }
        for header in message.headers {
            let (p, n) = bytes(header.value)
            vu = rd_kafka_vu_t()
            vu.vtype = RD_KAFKA_VTYPE_HEADER
            vu.u.header.name = UnsafePointer(cString(header.name))
            vu.u.header.val = UnsafeRawPointer(p)
            vu.u.header.size = n
            vus.append(vu)
        }
        vu = rd_kafka_vu_t()
        vu.vtype = RD_KAFKA_VTYPE_MSGFLAGS
        vu.u.i = RD_KAFKA_MSG_F_COPY
        vus.append(vu)
        vu = rd_kafka_vu_t()
        vu.vtype = RD_KAFKA_VTYPE_OPAQUE
        vu.u.ptr = opaque
        vus.append(vu)

        guard let error = rd_kafka_produceva(handle.pointer, &vus, vus.count) else { return nil }
        return KafkaError(consuming: error)
    }

    /// The fatal error the producer is in, if any: an idempotent producer that lost its
    /// guarantees refuses every send from then on and must be replaced.
    public var fatalError: KafkaError? {
        var errstr = [CChar](repeating: 0, count: 512)
        let err = rd_kafka_fatal_error(handle.pointer, &errstr, errstr.count)
        guard err != RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        return KafkaError(code: err.rawValue, message: cString(errstr), isFatal: true)
    }

    /// Dropped without ``close(timeout:)``: the poll thread stops and releases the handle.
    deinit {
        handle.state.withLock { $0.abandoned() }
    }

    /// Waits up to `timeout` for outstanding deliveries, then releases the handle.
    /// Returns false if librdkafka did not finish in time (the handle is then leaked:
    /// the process is shutting down anyway). A second call returns at once: true if the
    /// handle is released.
    @discardableResult
    public func close(timeout: Duration = .seconds(5)) async -> Bool {
        let handle = self.handle
        guard handle.state.withLock({ $0.close() }) == .flush else { return handle.state.withLock { $0.isFinished } }
        let ms = Int32(timeout.components.seconds * 1000)
        let logger = self.logger
        return await BlockingThread.run(name: "kafka-producer-close", timeout: timeout + .seconds(2)) {
            let err = rd_kafka_flush(handle.pointer, ms)
            if err != RD_KAFKA_RESP_ERR_NO_ERROR {
                logger.warning("Kafka producer closed with \(rd_kafka_outq_len(handle.pointer)) undelivered messages")
            }
            handle.state.withLock { $0.flushed() }
            handle.released.wait()  // the poll thread's next turn, then its destroy
        }
    }

}

