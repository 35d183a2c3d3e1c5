public import Foundation

/// Hosts as Linux network namespaces, for tests and proofs of what crosses a network (the
/// hosts test, `homeward fault-run --hosts 2 --namespaces`): each host a namespace with
/// its own loopback and one address on a bridge in the caller's namespace (which reaches
/// every host, as a gateway would). Needs root and iproute2; carrying a port between
/// namespaces (``forward(in:listen:port:to:targetPort:)``) also needs socat.
///
/// Names are unique per instance (`hw<4 hex>-<host>`), so runs never collide, and
/// ``close()`` removes every namespace, link and forwarder it made.
public final class NetworkHosts: @unchecked Sendable {
    public static let ip = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip"].first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/usr/sbin/ip"
    public static let socat = ["/usr/bin/socat", "/usr/local/bin/socat"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Whether namespaces can be made here: root, iproute2, socat, and `ip netns` working.
    public static let available: Bool = {
        guard getuid() == 0, socat != nil, FileManager.default.isExecutableFile(atPath: ip) else { return false }
        let probe = "hwprobe\(getpid())"
        guard (try? run(ip, ["netns", "add", probe])) != nil else { return false }
        _ = try? run(ip, ["netns", "del", probe])
        return true
    }()

    private let prefix: String
    /// The first three octets of the hosts' subnet (a /24).
    private let subnet: String
    private var hosts: [String: Int] = [:]
    private var forwarders: [Process] = []
    private let lock = NSLock()

    public init() throws {
        let tag = String(format: "%04x", UInt16.random(in: 0...UInt16.max))
        prefix = "hw\(tag)"
        subnet = "10.\(Int.random(in: 100...199)).\(Int.random(in: 1...254))"
        try Self.run(Self.ip, ["link", "add", bridge, "type", "bridge"])
        try Self.run(Self.ip, ["addr", "add", "\(subnet).254/24", "dev", bridge])
        try Self.run(Self.ip, ["link", "set", bridge, "up"])
    }

    private var bridge: String { "\(prefix)-br" }
    /// The address of the test's own namespace on the bridge.
    public var outside: String { "\(subnet).254" }

    public func namespace(of host: String) -> String { "\(prefix)-\(host)" }

    public func address(of host: String) -> String {
        lock.withLock { "\(subnet).\(hosts[host] ?? 0)" }
    }

    /// Makes a host: a namespace with loopback up and one address on the bridge.
    @discardableResult
    public func add(_ host: String) throws -> (namespace: String, address: String) {
        precondition(host.count <= 4, "interface names are at most 15 characters")
        let octet = lock.withLock { () -> Int in
            let octet = (hosts.values.max() ?? 10) + 1
            hosts[host] = octet
            return octet
        }
        let ns = namespace(of: host)
        let (outer, inner) = ("\(ns)0", "\(ns)1")
        try Self.run(Self.ip, ["netns", "add", ns])
        try Self.run(Self.ip, ["link", "add", outer, "type", "veth", "peer", "name", inner])
        try Self.run(Self.ip, ["link", "set", inner, "netns", ns])
        try Self.run(Self.ip, ["link", "set", outer, "master", bridge])
        try Self.run(Self.ip, ["link", "set", outer, "up"])
        try Self.run(Self.ip, ["-n", ns, "addr", "add", "\(subnet).\(octet)/24", "dev", inner])
        try Self.run(Self.ip, ["-n", ns, "link", "set", inner, "up"])
        try Self.run(Self.ip, ["-n", ns, "link", "set", "lo", "up"])
        return (ns, "\(subnet).\(octet)")
    }

    /// Takes a host away at once: every process in it killed (SIGKILL), then the namespace
    /// and its link deleted. Its data directory is the caller's to delete.
    public func remove(_ host: String) {
        let ns = namespace(of: host)
        for pid in ((try? Self.run(Self.ip, ["netns", "pids", ns])) ?? "").split(separator: "\n").compactMap({ Int32($0) }) {
            kill(pid, SIGKILL)
        }
        usleep(200_000)
        _ = try? Self.run(Self.ip, ["netns", "del", ns])
        _ = lock.withLock { hosts.removeValue(forKey: host) }
    }

    /// Carries TCP connections to `listen` (in namespace `from`, nil: the test's) on to
    /// `target` (an address reachable from there), for as long as this lives.
    public func forward(in from: String?, listen: String, port: Int, to target: String, targetPort: Int) throws {
        guard let socat = Self.socat else { throw Failure(description: "socat is not installed (deploy/local/install-deps.sh)") }
        let process = Process()
        let arguments = ["TCP-LISTEN:\(port),bind=\(listen),fork,reuseaddr", "TCP:\(target):\(targetPort)"]
        if let from {
            process.executableURL = URL(fileURLWithPath: Self.ip)
            process.arguments = ["netns", "exec", from, socat] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: socat)
            process.arguments = arguments
        }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        lock.withLock { forwarders.append(process) }
    }

    /// Sets `process` to run `executable` in `namespace` (nil: here). `ip netns exec`
    /// execs the executable, so a signal to the process reaches it.
    public static func prepare(_ process: Process, executable: URL, arguments: [String], in namespace: String?) {
        if let namespace {
            process.executableURL = URL(fileURLWithPath: ip)
            process.arguments = ["netns", "exec", namespace, executable.path] + arguments
        } else {
            process.executableURL = executable
            process.arguments = arguments
        }
    }

    /// Removes every host, forwarder and the bridge.
    public func close() {
        for process in lock.withLock({ forwarders }) where process.isRunning { kill(process.processIdentifier, SIGKILL) }
        for host in lock.withLock({ Array(hosts.keys) }) { remove(host) }
        _ = try? Self.run(Self.ip, ["link", "del", bridge])
    }

    deinit { close() }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Runs a command to its end; its standard output, or an error with its output.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let (status, output) = try Process.runToEnd([executable] + arguments, deadline: 20)
        guard status == 0 else {
            throw Failure(description: "\(executable) \(arguments.joined(separator: " ")): exit \(status): \(output)")
        }
        return output
    }
}
