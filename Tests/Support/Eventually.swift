public import Foundation
import Synchronization

/// Polls `condition` until it holds or `timeout` passes; returns whether it held.
/// Tests assert behaviour, not speed: timeouts here are generous ceilings.
public func eventually(timeout: Duration = .seconds(60), every interval: Duration = .milliseconds(100),
                _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now.advanced(by: timeout)
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: interval)
    }
    return try await condition()
}

/// A free TCP port on loopback, below the kernel's ephemeral range: a port the kernel
/// hands out itself (`bind` to 0) is one it may give an outgoing connection next, between
/// this call and the server's own `bind`, which then fails.
public func freePort() -> Int { freePortRun(1) }

/// The first of `count` consecutive free ports (`homeward up --port-base` takes four), with
/// the ports of three more replicas each (+100, +200, +300) free as well.
public func freePortRun(_ count: Int) -> Int {
    let range = portRange()
    while true {
        let first = Int.random(in: range.lowerBound..<max(range.lowerBound + 1, range.upperBound - count - 300))
        let ports = Set((0..<4).flatMap { replica in (0..<count).map { first + 100 * replica + $0 } })
        // Never the same port twice in one test process, though the first taker has not bound it yet.
        let fresh = handedOut.withLock { given in
            guard given.isDisjoint(with: ports) else { return false }
            given.formUnion(ports)
            return true
        }
        if fresh, ports.allSatisfy(isFree) { return first }
    }
}

private let handedOut = Mutex<Set<Int>>([])

/// The ports tests take: from 10000 to below the kernel's ephemeral range; a quarter of it
/// each when `Tests/lanes.sh` runs its test processes at once (`HOMEWARD_TEST_LANE` 1 to
/// 4), so that the lanes never pick the same port.
private func portRange() -> Range<Int> {
    let ceiling = ephemeralRangeStart()
    let quarter = (ceiling - 10_000) / 4
    switch ProcessInfo.processInfo.environment["HOMEWARD_TEST_LANE"].flatMap({ Int($0) }) {
    case let lane? where (1...4).contains(lane): return 10_000 + quarter * (lane - 1)..<10_000 + quarter * lane
    default: return 10_000..<ceiling
    }
}

/// The first port the kernel gives outgoing connections (32768 unless configured).
private func ephemeralRangeStart() -> Int {
    let text = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
    return text.split(whereSeparator: \.isWhitespace).first.flatMap { Int($0) } ?? 32_768
}

private func isFree(_ port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = loopback(port: port)
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    } == 0
}

private func loopback(port: Int) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    return address
}

/// A fresh folder for one test's stores and logs.
public func makeWorkDirectory(_ name: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("homeward-\(name)-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
