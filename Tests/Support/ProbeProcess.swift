public import Foundation
import GRDB
public import StageProbeKit
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The probe stage (`stage-probe`) as a process: a service built on the runtime.
public final class ProbeProcess: @unchecked Sendable {
    public let role: ProbeStage.Role
    public let storePath: String
    public let port: Int
    public let environment: [String: String]
    public let directory: URL
    public private(set) var child: ChildProcess
    public private(set) var starts = 1

    public init(role: ProbeStage.Role, bootstrap: String, directory: URL, storeName: String? = nil, extra: [String: String] = [:]) throws {
        self.role = role
        self.directory = directory
        storePath = directory.appendingPathComponent(storeName ?? "\(role.rawValue).sqlite").path
        port = freePort()
        environment = [
            "PROBE_ROLE": role.rawValue,
            "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
            "STORE_PATH": storePath,
            "AUTH_DEV_KEY": TestAccess.developmentKey.base64EncodedString(),
            "HTTP_PORT": String(port),
            "KAFKA_TOPIC_PARTITIONS": "4",
            "LOG_LEVEL": "info",
            "SHUTDOWN_GRACE_SECONDS": "6",
        ].merging(extra) { $1 }
        child = try ChildProcess("stage-probe", environment: environment, logDirectory: directory)
    }

    /// Starts it again after it died or was killed, on the same store.
    public func restart() throws {
        child = try ChildProcess("stage-probe", environment: environment, logDirectory: directory)
        starts += 1
    }

    public func waitUntilReady(timeout: Duration = .seconds(60)) async throws {
        let url = URL(string: "http://127.0.0.1:\(port)/health/ready")!
        let ready = await eventually(timeout: timeout, every: .milliseconds(200)) {
            guard child.isRunning else { return false }
            guard let (_, response) = try? await URLSession.shared.data(from: url) else { return false }
            return (response as? HTTPURLResponse)?.statusCode == 200
        }
        if !ready { throw TestFailure("probe \(role) not ready; log:\n\(child.log.suffix(3000))") }
    }

    public func metrics() async throws -> String {
        let (data, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/metrics")!)
        return String(decoding: data, as: UTF8.self)
    }
}

/// Read-only look at a probe's store, as the test's own view of "what took effect".
public struct ProbeStoreView {
    public let path: String

    public init(path: String) { self.path = path }

    private func read<T>(_ body: (Database) throws -> T) throws -> T {
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(10)
        let queue = try DatabaseQueue(path: path, configuration: config)
        return try queue.read(body)
    }

    /// Effect rows per applied event id.
    public func effectCounts() throws -> [String: Int] {
        try read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT event_id, COUNT(*) AS n FROM probe_effect GROUP BY event_id")
                .map { ($0["event_id"] as String, $0["n"] as Int) })
        }
    }

    public func effectTotal() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM probe_effect") ?? 0 }
    }

    public func orderViolations() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM probe_order_violation") ?? 0 }
    }

    public func unpublished() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE published_at IS NULL") ?? 0 }
    }

    public func outboxEventIDs(topic: String) throws -> [String] {
        try read { db in try String.fetchAll(db, sql: "SELECT event_id FROM outbox WHERE topic = ?", arguments: [topic]) }
    }
}
