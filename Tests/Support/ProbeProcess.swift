public import Foundation
public import GRDB
public import StageProbeKit
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The probe stage (`stage-probe`) as a process: a service built on the runtime.
public final class ProbeProcess: @unchecked Sendable {
    public let role: ProbeStage.Role
    /// Its partition stores' directory (`STORE_DIRECTORY`); replicas given one name share it.
    public let storeDirectory: String
    public let port: Int
    public let environment: [String: String]
    public let directory: URL
    public private(set) var child: ChildProcess
    public private(set) var starts = 1

    public init(role: ProbeStage.Role, bootstrap: String, directory: URL, storeName: String? = nil, extra: [String: String] = [:]) throws {
        self.role = role
        self.directory = directory
        storeDirectory = directory.appendingPathComponent(storeName ?? role.rawValue).path
        port = freePort()
        environment = [
            "PROBE_ROLE": role.rawValue,
            "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
            "STORE_DIRECTORY": storeDirectory,
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

/// Read-only look at a probe's partition stores, as the test's own view of "what took effect".
public struct ProbeStoreView {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    /// `body` in every partition store, in partition order.
    public func readEach<T>(_ body: (Database) throws -> T) throws -> [T] {
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(10)
        return try StoreFiles.partitions(in: directory).map { try DatabaseQueue(path: $0, configuration: config).read(body) }
    }

    private func sum(_ sql: String) throws -> Int {
        try readEach { db in try Int.fetchOne(db, sql: sql) ?? 0 }.reduce(0, +)
    }

    /// Effect rows per applied event id, across partition stores.
    public func effectCounts() throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for rows in try readEach({ db in try Row.fetchAll(db, sql: "SELECT event_id, COUNT(*) AS n FROM probe_effect GROUP BY event_id") }) {
            for row in rows { counts[row["event_id"] as String, default: 0] += row["n"] as Int }
        }
        return counts
    }

    public func effectTotal() throws -> Int { try sum("SELECT COUNT(*) FROM probe_effect") }
    public func orderViolations() throws -> Int { try sum("SELECT COUNT(*) FROM probe_order_violation") }
    public func unpublished() throws -> Int { try sum("SELECT COUNT(*) FROM outbox WHERE published_at IS NULL") }

    public func outboxEventIDs(topic: String) throws -> [String] {
        try readEach { db in try String.fetchAll(db, sql: "SELECT event_id FROM outbox WHERE topic = ?", arguments: [topic]) }.flatMap { $0 }
    }
}

/// A service's store files in its store directory.
public enum StoreFiles {
    /// `partition-NN.sqlite`, in partition order.
    public static func partitions(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasPrefix("partition-") && $0.hasSuffix(".sqlite") }.sorted().map { "\(directory)/\($0)" }
    }

    /// The service store and every partition store.
    public static func all(in directory: String) -> [String] {
        ["\(directory)/service.sqlite"] + partitions(in: directory)
    }
}
