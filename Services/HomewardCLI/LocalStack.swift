import Foundation
import HomewardJourneys
import HomewardModel
import Kafka
import Synchronization
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The local stack's processes: the embedded broker and the four services, children of
/// `homeward up`, each line of their output printed with the child's name in front.
final class LocalStack: Sendable {
    let data: URL
    let bin: URL
    let ports: [ServiceName: Int]
    /// Where children's lines go: prefixed on standard output (`up`), or one log file each
    /// under the data directory (the benchmark and the fault run, whose own report is the output).
    let logsToFiles: Bool
    private let children = Mutex<[String: Child]>([:])
    private static let output = Mutex(())

    private struct Child {
        let process: Process
        let executable: String
        let arguments: [String]
        let environment: [String: String]
        let input: Pipe?
        let namespace: String?
    }

    /// Added to every child's environment (this process's own is passed on as well).
    let environment: [String: String]
    /// Replicas per service (1 where absent), all on the one data directory: the second
    /// answers on its port + 100, the third + 200, and so on.
    let replicas: [ServiceName: Int]
    /// Hosts the replicas are spread over, each with data directories of its own
    /// (``storeDirectory(_:replica:)``): replica r on host ((r - 1) mod hosts) + 1. More
    /// than one needs the changelog, which lets a partition store move between hosts.
    let hosts: Int
    /// With several hosts: hosts 2 and up as Linux network namespaces (`h2`, `h3`, made by
    /// the caller), each with an address of its own; host 1 and the broker stay here.
    let network: NetworkHosts?
    /// The services (not the broker) run under valgrind's callgrind (`bench --callgrind`).
    let callgrind: Callgrind?

    init(data: URL, bin: URL, portBase: Int, logsToFiles: Bool = false, environment: [String: String] = [:],
         replicas: [ServiceName: Int] = [:], hosts: Int = 1, network: NetworkHosts? = nil, callgrind: Callgrind? = nil) {
        self.data = data
        self.bin = bin
        self.logsToFiles = logsToFiles
        self.environment = environment
        self.replicas = replicas
        self.hosts = hosts
        self.network = network
        self.callgrind = callgrind
        ports = Dictionary(uniqueKeysWithValues: ServiceName.allCases.enumerated().map { ($1, portBase + $0) })
    }

    var addressFile: URL { data.appendingPathComponent("broker.address") }

    static func say(_ line: String) {
        output.withLock { _ in
            print(line)  // through stdio, like the demo's lines, so that the two keep their order
            fflush(nil)
        }
    }

    /// Starts the embedded broker and returns its address once it has written it.
    func startBroker() async throws -> String {
        try? FileManager.default.removeItem(at: addressFile)
        try start("broker", executable: "homeward-broker", arguments: ["--address-file", addressFile.path], environment: [:], input: true)
        for _ in 0..<150 {
            if let address = try? String(contentsOf: addressFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines), !address.isEmpty {
                try reachBroker(address)
                return address
            }
            guard isRunning("broker") else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw CommandFailure(description: "the embedded broker did not start " + lastLines(of: "broker"))
    }

    /// The broker listens on this namespace's loopback and names that address to its
    /// clients: socat carries its port from each host's loopback, over the bridge, to here.
    private func reachBroker(_ address: String) throws {
        guard let network, let port = address.split(separator: ":").last.flatMap({ Int($0) }) else { return }
        try network.forward(in: nil, listen: network.outside, port: port, to: "127.0.0.1", targetPort: port)
        for host in 2...max(2, hosts) where host <= hosts {
            try network.forward(in: network.namespace(of: Self.hostName(host)), listen: "127.0.0.1", port: port, to: network.outside, targetPort: port)
        }
    }

    /// A namespaced host's name: `h2`.
    static func hostName(_ host: Int) -> String { "h\(host)" }

    /// The address replica `replica` answers on: loopback, or its host's namespace address.
    func address(ofReplica replica: Int) -> String {
        let host = host(ofReplica: replica)
        guard let network, host > 1 else { return "127.0.0.1" }
        return network.address(of: Self.hostName(host))
    }

    func startServices(bootstrap: String) throws {
        for service in ServiceName.allCases { try startService(service, bootstrap: bootstrap) }
    }

    /// Starts every replica of `service`.
    func startService(_ service: ServiceName, bootstrap: String) throws {
        for replica in 1...max(1, replicas[service] ?? 1) { try startReplica(service, replica, bootstrap: bootstrap) }
    }

    func startReplica(_ service: ServiceName, _ replica: Int, bootstrap: String) throws {
        let port = port(service, replica: replica)
        var network: [String: String] = [:]
        var namespace: String?
        if let hosts = self.network {
            // Reachable from the other hosts: on every address, announced by the bridge's.
            let host = host(ofReplica: replica)
            network = ["HTTP_HOST": "0.0.0.0", "HTTP_ADVERTISED_URL": "http://\(host == 1 ? hosts.outside : address(ofReplica: replica)):\(port)"]
            if host > 1 { namespace = hosts.namespace(of: Self.hostName(host)) }
        }
        try start(Self.childName(service, replica), executable: service.rawValue, arguments: [], namespace: namespace, environment: network.merging([
            "KAFKA_BOOTSTRAP_SERVERS": bootstrap, "DATA_DIRECTORY": data.path, "HTTP_PORT": String(port),
            "LOG_FORMAT": "text", "KAFKA_PROPERTIES": kafkaProperties, "SERVICE_INSTANCE": Self.childName(service, replica),
            "AUTH_DEV_KEY": try DevelopmentKey.ensure(in: data).base64EncodedString(),
            "STORE_DIRECTORY": storeDirectory(service, replica: replica).path,
        ]) { $1 }.merging(Journeys.compressedSchedule.filter { ProcessInfo.processInfo.environment[$0.key] == nil && environment[$0.key] == nil }) { $1 })
    }

    /// The host replica `replica` runs on, from 1.
    func host(ofReplica replica: Int) -> Int { (replica - 1) % hosts + 1 }

    /// Where a replica keeps its partition stores: the service's directory, or with several
    /// ``hosts`` its host's (`health-screening-host-2`).
    func storeDirectory(_ service: ServiceName, replica: Int) -> URL {
        data.appendingPathComponent(hosts > 1 ? "\(service.rawValue)-host-\(host(ofReplica: replica))" : service.rawValue, isDirectory: true)
    }

    /// Every replica of host `host`.
    func childNames(onHost host: Int) -> [String] {
        ServiceName.allCases.flatMap { service in
            (1...max(1, replicas[service] ?? 1)).filter { self.host(ofReplica: $0) == host }.map { Self.childName(service, $0) }
        }
    }

    /// `health-screening` for the first replica, `health-screening-2` for the second.
    static func childName(_ service: ServiceName, _ replica: Int) -> String {
        replica == 1 ? service.rawValue : "\(service.rawValue)-\(replica)"
    }

    func port(_ service: ServiceName, replica: Int) -> Int { ports[service]! + 100 * (replica - 1) }

    /// One line per replica: its name and URL.
    var serviceURLs: [String] {
        ServiceName.allCases.flatMap { service in
            (1...max(1, replicas[service] ?? 1)).map { replica in
                "  \(Self.childName(service, replica).padding(toLength: 19, withPad: " ", startingAt: 0)) http://127.0.0.1:\(port(service, replica: replica))"
            }
        }
    }

    /// Every replica's child name.
    var serviceChildren: [String] {
        ServiceName.allCases.flatMap { service in (1...max(1, replicas[service] ?? 1)).map { Self.childName(service, $0) } }
    }

    /// The mock cluster answers an empty fetch only after `fetch.wait.max.ms`, even when
    /// a record arrives meanwhile (a real broker answers at once), so a short wait keeps
    /// event hops in milliseconds instead of up to librdkafka's default 500 ms.
    var kafkaProperties: String {
        let given = environment["KAFKA_PROPERTIES"] ?? ProcessInfo.processInfo.environment["KAFKA_PROPERTIES"] ?? ""
        guard !given.contains("fetch.wait.max.ms") else { return given }
        return given.isEmpty ? "fetch.wait.max.ms=5" : given + ",fetch.wait.max.ms=5"
    }

    /// Waits until every service answers ready, failing early when one exits.
    func waitUntilReady(timeout: Duration = .seconds(90)) async throws {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        for service in ServiceName.allCases {
            for replica in 1...max(1, replicas[service] ?? 1) {
                try await waitUntilReady(service, replica: replica, deadline: deadline)
            }
        }
    }

    func waitUntilReady(_ service: ServiceName, replica: Int, deadline: ContinuousClock.Instant) async throws {
        let name = Self.childName(service, replica)
        let url = URL(string: "http://\(address(ofReplica: replica)):\(port(service, replica: replica))/health/ready")!
        while true {
            guard isRunning(name) else {
                throw CommandFailure(description: "\(name) exited while starting " + lastLines(of: name))
            }
            if let (_, response) = try? await URLSession.shared.data(from: url), (response as? HTTPURLResponse)?.statusCode == 200 { return }
            guard ContinuousClock.now < deadline else {
                throw CommandFailure(description: "\(name) was not ready in time")
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// Events published but not yet consumed, and events committed to an outbox but not
    /// yet published: what the embedded broker would lose if it stopped now.
    func inFlight(bootstrap: String, includeOutboxes: Bool) async -> Int64? {
        var total: Int64 = 0
        for service in ServiceName.allCases {
            guard let lags = try? await LagCommand.lags(of: service, config: KafkaConfig(bootstrapServers: bootstrap)) else { return nil }
            total += lags.reduce(0) { $0 + $1.lag }
            if includeOutboxes {
                for replica in 1...max(1, replicas[service] ?? 1) {
                    guard let metrics = await ServiceMetrics.scrape(host: address(ofReplica: replica), port: port(service, replica: replica)) else { return nil }
                    total += Int64(metrics.total("homeward_outbox_backlog"))
                }
            }
        }
        return total
    }

    /// The services first, committing against a broker still there; then the broker.
    func stopAll() async {
        await stop(serviceChildren)
        await stop(["broker"])
    }

    /// SIGTERM to the named children, then waits for them (SIGKILL after `grace`).
    func stop(_ names: [String], grace: Duration = .seconds(20)) async {
        let processes = children.withLock { all in names.compactMap { all[$0]?.process } }
        for process in processes where process.isRunning { kill(process.processIdentifier, SIGTERM) }
        let deadline = ContinuousClock.now.advanced(by: grace)
        while processes.contains(where: \.isRunning) {
            if ContinuousClock.now > deadline {
                for process in processes where process.isRunning { kill(process.processIdentifier, SIGKILL) }
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Where a child's lines are, for a failure message: above, or the tail of its log
    /// file, so that a run whose report is its only output (a CI log) still says why.
    func lastLines(of name: String, count: Int = 20) -> String {
        guard logsToFiles else { return "(see its lines above)" }
        let file = data.appendingPathComponent("logs/\(name).log")
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return "(no log at \(file.path))" }
        let tail = text.split(separator: "\n", omittingEmptySubsequences: false).suffix(count + 1).joined(separator: "\n")
        return "; the last lines of \(file.path):\n" + tail
    }

    func isRunning(_ name: String) -> Bool {
        children.withLock { $0[name]?.process.isRunning ?? false }
    }

    func pid(_ name: String) -> Int32? {
        children.withLock { $0[name].map { $0.process.processIdentifier } }
    }

    /// Sends a signal to a child (SIGKILL in the fault run) and waits for it to be gone.
    func signal(_ name: String, _ number: Int32) async {
        guard let process = children.withLock({ $0[name]?.process }) else { return }
        if process.isRunning { kill(process.processIdentifier, number) }
        while process.isRunning { try? await Task.sleep(for: .milliseconds(10)) }
    }

    /// Starts a child again as it was first started.
    func restart(_ name: String) throws {
        guard let child = children.withLock({ $0[name] }) else { return }
        try start(name, executable: child.executable, arguments: child.arguments, namespace: child.namespace, environment: child.environment,
                  input: child.input != nil)
    }

    /// A line to the embedded broker's standard input (`down 1`, `up 1`, ...).
    func tellBroker(_ line: String) {
        children.withLock { $0["broker"]?.input }?.fileHandleForWriting.write(Data((line + "\n").utf8))
    }

    private func start(_ name: String, executable: String, arguments: [String], namespace: String? = nil, environment: [String: String],
                       input: Bool = false) throws {
        let path = bin.appendingPathComponent(executable)
        guard FileManager.default.isExecutableFile(atPath: path.path) else {
            throw CommandFailure(description: "\(path.path) is not built (swift build)")
        }
        let command = try Callgrind.command(under: name == "broker" ? nil : callgrind, name: name, executable: path, arguments: arguments)
        let process = Process()
        NetworkHosts.prepare(process, executable: command.executable, arguments: command.arguments, in: namespace)
        process.environment = ProcessInfo.processInfo.environment.merging(self.environment) { $1 }.merging(environment) { $1 }
            .merging(command.environment) { $1 }
        let inputPipe = input ? Pipe() : nil
        process.standardInput = inputPipe ?? FileHandle.nullDevice
        if logsToFiles {
            let logs = data.appendingPathComponent("logs", isDirectory: true)
            try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
            try process.appendOutput(to: logs.appendingPathComponent("\(name).log"))
            try process.run()
            children.withLock { $0[name] = Child(process: process, executable: executable, arguments: arguments, environment: environment, input: inputPipe,
                                                namespace: namespace) }
            return
        }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let prefix = "[\(name)] "
        let pending = Mutex(Data())
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let chunk = handle.availableData
            if chunk.isEmpty {
                handle.readabilityHandler = nil
                return
            }
            let lines: [Data] = pending.withLock { buffer in
                buffer.append(chunk)
                var complete: [Data] = []
                while let newline = buffer.firstIndex(of: 0x0A) {
                    complete.append(buffer[buffer.startIndex..<newline])
                    buffer.removeSubrange(buffer.startIndex...newline)
                }
                return complete
            }
            for line in lines { Self.say(prefix + String(decoding: line, as: UTF8.self)) }
        }
        try process.run()
        children.withLock { $0[name] = Child(process: process, executable: executable, arguments: arguments, environment: environment, input: inputPipe,
                                                namespace: namespace) }
    }

    deinit {
        children.withLock { all in
            for child in all.values where child.process.isRunning { kill(child.process.processIdentifier, SIGKILL) }
        }
    }
}
