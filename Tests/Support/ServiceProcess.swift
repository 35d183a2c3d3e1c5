public import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HomewardJourneys

/// A service executable (`intake`, `health-screening`, …) started as a process against a
/// broker, with its own store and port, as an operator would run it.
public final class ServiceProcess: @unchecked Sendable {
    public let executable: String
    public let port: Int
    /// Its partition stores' directory (`STORE_DIRECTORY`).
    public let storeDirectory: String
    public let environment: [String: String]
    public let directory: URL
    public private(set) var child: ChildProcess

    /// Where it listens: loopback, or a host of ``NetworkHosts`` (its namespace and address).
    public let host: (namespace: String, address: String)?

    public init(_ executable: String, bootstrap: String, directory: URL, extra: [String: String] = [:],
                host: (namespace: String, address: String)? = nil) throws {
        self.executable = executable
        self.directory = directory
        self.host = host
        // A host of its own has every port free: the service's usual one.
        port = host == nil ? freePort() : Self.usualPorts[executable] ?? 8080
        storeDirectory = directory.appendingPathComponent(executable).path
        environment = [
            "KAFKA_BOOTSTRAP_SERVERS": bootstrap, "STORE_DIRECTORY": storeDirectory, "HTTP_PORT": String(port),
            "KAFKA_TOPIC_PARTITIONS": "4", "LOG_LEVEL": "info", "SHUTDOWN_GRACE_SECONDS": "6",
        ].merging(host.map { ["HTTP_HOST": $0.address] } ?? [:]) { $1 }
            .merging(TestCluster.fastGroup) { $1 }.merging(TestAccess.environment) { $1 }.merging(Journeys.compressedSchedule) { $1 }
            .merging(extra) { $1 }
        child = try ChildProcess(executable, environment: environment, logDirectory: directory, namespace: host?.namespace)
    }

    /// Each service's default `HTTP_PORT`.
    static let usualPorts = ["intake": 8081, "health-screening": 8082, "travel-booking": 8083, "reintegration": 8084]

    public var baseURL: URL { URL(string: "http://\(host?.address ?? "127.0.0.1"):\(port)")! }

    public func waitUntilReady(timeout: Duration = .seconds(60)) async throws {
        let ready = await eventually(timeout: timeout, every: .milliseconds(200)) {
            guard child.isRunning else { return false }
            return (try? await HTTP.send("GET", baseURL.appendingPathComponent("health/ready")).status) == 200
        }
        if !ready { throw TestFailure("\(executable) not ready; log:\n\(child.log.suffix(3000))") }
    }
}

/// JSON over HTTP, as staff tools call the services.
public enum HTTP {
    public struct Reply: Sendable {
        public let status: Int
        public let body: Data
        public let headers: [String: String]

        public var text: String { String(decoding: body, as: UTF8.self) }
        public func json() throws -> [String: Any] {
            try JSONSerialization.jsonObject(with: body) as? [String: Any] ?? [:]
        }

        /// Where the `Link: <…>; rel="next"` header leads, resolved against `base`.
        public func nextPage(from base: URL) -> URL? {
            headers["link"].flatMap { URL(string: String($0.dropFirst().prefix { $0 != ">" }), relativeTo: base) }
        }
    }

    /// Every item (under `field`) of every page of a list, following the `Link` headers from `url`.
    public static func allPages(_ url: URL, field: String, base: URL) async throws -> [[String: Any]] {
        var items: [[String: Any]] = []
        var target: URL? = url
        while let page = target {
            let reply = try await send("GET", page)
            items += try reply.json()[field] as? [[String: Any]] ?? []
            target = reply.nextPage(from: base)
        }
        return items
    }

    /// Sends as a caller holding every role unless `headers` carry an `Authorization`.
    public static func send(_ method: String, _ url: URL, body: Data? = nil, headers: [String: String] = [:]) async throws -> Reply {
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.httpBody = body
        if body != nil { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        if !headers.keys.contains(where: { $0.lowercased() == "authorization" }) {
            request.setValue(try await TestAccess.everyRole(), forHTTPHeaderField: "Authorization")
        }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (key, value) in http.allHeaderFields { fields[String(describing: key).lowercased()] = String(describing: value) }
        return Reply(status: http.statusCode, body: data, headers: fields)
    }
}
