internal import CRdKafka
import Foundation
import Logging

/// Creation of `rd_kafka_t` handles with librdkafka's log and error callbacks routed to
/// swift-log. The context passed as opaque must outlive the handle: owners keep it.
class RdKafkaContext: @unchecked Sendable {
    let logger: Logger
    init(logger: Logger) { self.logger = logger }

    static let consumerOnly = ["session.timeout.ms", "heartbeat.interval.ms", "fetch.wait.max.ms", "fetch.min.bytes", "max.poll.interval.ms",
                               "auto.offset.reset", "auto.commit.interval.ms", "enable.auto.commit", "enable.auto.offset.store",
                               "partition.assignment.strategy", "group.id", "group.instance.id", "enable.partition.eof", "isolation.level"]

    func makeHandle(_ type: rd_kafka_type_t, config: KafkaConfig, setUp: (OpaquePointer) -> Void = { _ in }) throws(KafkaError) -> OpaquePointer {
        // One KAFKA_PROPERTIES serves every client of a service: a producer (or admin handle)
        // leaves out what only a consumer reads, which librdkafka would warn about.
        // librdkafka backs off reconnecting up to 10 s by default: after a broker restart the
        // relay would publish, and a partition's changes reach the changelog, that much later.
        var config = config.with(defaults: ["reconnect.backoff.max.ms": "1000"])
        if type == RD_KAFKA_PRODUCER {
            for key in Self.consumerOnly { config.properties[key] = nil }
        }
        let conf = try config.makeConf()
        rd_kafka_conf_set_opaque(conf, Unmanaged.passUnretained(self).toOpaque())
        rd_kafka_conf_set_log_cb(conf, { rk, level, facility, message in
            guard let rk, let opaque = rd_kafka_opaque(rk) else { return }
            let context = Unmanaged<RdKafkaContext>.fromOpaque(opaque).takeUnretainedValue()
            let text = "\(facility.map { String(cString: $0) } ?? "-"): \(message.map { String(cString: $0) } ?? "")"
            switch level {
            case 0...3: context.logger.error("librdkafka \(text)")
            case 4: context.logger.warning("librdkafka \(text)")
            case 5, 6: context.logger.info("librdkafka \(text)")
            default: context.logger.debug("librdkafka \(text)")
            }
        })
        rd_kafka_conf_set_error_cb(conf, { rk, err, reason, opaque in
            guard let opaque else { return }
            let context = Unmanaged<RdKafkaContext>.fromOpaque(opaque).takeUnretainedValue()
            context.handleError(code: err, reason: reason.map { String(cString: $0) } ?? "", handle: rk)
        })
        setUp(conf)
        var errstr = [CChar](repeating: 0, count: 512)
        guard let handle = rd_kafka_new(type, conf, &errstr, errstr.count) else {
            rd_kafka_conf_destroy(conf)  // rd_kafka_new takes the conf only on success
            throw .configuration(cString(errstr))
        }
        return handle
    }

    /// Transport errors are routine during an outage; librdkafka retries by itself.
    func handleError(code: Int32, reason: String, handle: OpaquePointer?) {
        if code == RD_KAFKA_RESP_ERR__FATAL.rawValue, let handle {
            var errstr = [CChar](repeating: 0, count: 512)
            let fatal = rd_kafka_fatal_error(handle, &errstr, errstr.count)
            logger.critical("Kafka fatal error \(fatal.rawValue): \(cString(errstr))")
        } else if code == RD_KAFKA_RESP_ERR__TRANSPORT.rawValue || code == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN.rawValue {
            logger.warning("Kafka: \(reason)")
        } else {
            logger.error("Kafka error \(code): \(reason)")
        }
    }
}
