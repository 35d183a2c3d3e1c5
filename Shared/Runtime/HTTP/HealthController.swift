public import Hummingbird
public import HomewardStore
public import Kafka
import Logging
public import Prometheus

/// `/health/live`, `/health/ready` (store and broker reachable) and `/metrics`.
/// Liveness says the process answers; readiness says it can do its work.
public struct HealthController: Sendable {
    let store: Store
    let kafka: KafkaConfig
    let registry: PrometheusCollectorRegistry

    public init(store: Store, kafka: KafkaConfig, registry: PrometheusCollectorRegistry) {
        self.store = store
        self.kafka = kafka
        self.registry = registry
    }

    public func addRoutes(to router: Router<some RequestContext>) {
        router.get("/health/live") { _, _ in Self.status(.ok, ["status": "live"]) }
        router.get("/health/ready") { _, _ in await ready() }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
    }

    private func ready() async -> Response {
        var checks: [String: String] = [:]
        do {
            _ = try await store.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
            checks["store"] = "ok"
        } catch {
            checks["store"] = "unavailable"
        }
        checks["broker"] = (try? await KafkaAdmin.topics(config: kafka, timeout: .seconds(2), logger: quiet)) != nil ? "ok" : "unreachable"
        let ready = checks.values.allSatisfy { $0 == "ok" }
        checks["status"] = ready ? "ready" : "not-ready"
        return Self.status(ready ? .ok : .serviceUnavailable, checks)
    }

    /// An unreachable broker is the answer here, not a log line per probe.
    private var quiet: Logger {
        var logger = Logger(label: "health")
        logger.logLevel = .critical
        return logger
    }

    static func status(_ status: HTTPResponse.Status, _ body: [String: String]) -> Response {
        let text = "{" + body.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\"\($0.value)\"" }.joined(separator: ",") + "}"
        return Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
