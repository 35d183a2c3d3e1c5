public import Foundation
public import HomewardJourneys

/// The embedded broker on a host of its own. It listens on that namespace's loopback
/// only and names that address in its metadata, so socat carries the port there from the
/// bridge, and from each host's loopback (and the test's) to the bridge: every client
/// connects to `127.0.0.1:<port>` wherever it runs, as the broker tells it to.
public final class NamespacedBroker: @unchecked Sendable {
    public let process: ChildProcess
    public let port: Int
    private let network: NetworkHosts
    private let address: String

    public init(in network: NetworkHosts, host: String = "k", directory: URL) async throws {
        self.network = network
        let (ns, address) = try network.add(host)
        self.address = address
        let addressFile = directory.appendingPathComponent("broker-\(host).address")
        process = try ChildProcess("homeward-broker", arguments: ["--address-file", addressFile.path, "--partitions", "4"],
                                   environment: [:], logDirectory: directory, namespace: ns)
        let ready = await eventually(timeout: .seconds(30)) { ((try? String(contentsOf: addressFile, encoding: .utf8)) ?? "").contains(":") }
        guard ready, let port = Int(try String(contentsOf: addressFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            .split(separator: ":").last ?? "") else { throw TestFailure("the broker did not start: \(process.log)") }
        self.port = port
        try network.forward(in: ns, listen: address, port: port, to: "127.0.0.1", targetPort: port)
        try network.forward(in: nil, listen: "127.0.0.1", port: port, to: address, targetPort: port)
    }

    /// What every client is given: the broker's own address.
    public var bootstrap: String { "127.0.0.1:\(port)" }

    /// Makes the broker reachable from `namespace` (a host), at ``bootstrap``.
    public func reach(from namespace: String) throws {
        try network.forward(in: namespace, listen: "127.0.0.1", port: port, to: address, targetPort: port)
    }
}
