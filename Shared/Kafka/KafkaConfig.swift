internal import CRdKafka

/// librdkafka configuration properties, passed through as they are.
///
/// Operators reach every librdkafka property (TLS, SASL, timeouts) through this one map,
/// so securing the connection needs no code here; see `deploy/README.md`.
public struct KafkaConfig: Sendable {
    public var properties: [String: String]

    public init(bootstrapServers: String, properties: [String: String] = [:]) {
        self.properties = properties
        self.properties["bootstrap.servers"] = bootstrapServers
    }

    public var bootstrapServers: String { properties["bootstrap.servers"] ?? "" }

    public subscript(key: String) -> String? {
        get { properties[key] }
        set { properties[key] = newValue }
    }

    /// A copy with `defaults` added where the caller set nothing.
    func with(defaults: [String: String]) -> KafkaConfig {
        var copy = self
        copy.properties.merge(defaults) { mine, _ in mine }
        return copy
    }

    /// A copy with `overrides` forced: settings the layer's guarantees depend on.
    func with(overrides: [String: String]) -> KafkaConfig {
        var copy = self
        copy.properties.merge(overrides) { _, forced in forced }
        return copy
    }

    /// A new `rd_kafka_conf_t`; the caller owns it until `rd_kafka_new` succeeds.
    func makeConf() throws(KafkaError) -> OpaquePointer {
        let conf = rd_kafka_conf_new()!
        var errstr = [CChar](repeating: 0, count: 512)
        for (key, value) in properties.sorted(by: { $0.key < $1.key }) {
            if rd_kafka_conf_set(conf, key, value, &errstr, errstr.count) != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                throw .configuration("Kafka property '\(key)': \(cString(errstr))")
            }
        }
        return conf
    }
}
