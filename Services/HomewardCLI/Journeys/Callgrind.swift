public import Foundation

/// Instructions a process executes, counted by valgrind's callgrind: far steadier than events
/// per second, though work the clock paces (timers, polls) is counted too, so runs compare
/// best side by side. A benchmark starts the process under valgrind
/// (``command(name:executable:arguments:)``), zeroes its counters
/// when the measured window opens (``zero(_:)``) and dumps them when it closes (``dump(_:)``).
public struct Callgrind: Sendable {
    /// Where each process's dumps go: `<name>.<pid>` and `<name>.<pid>.<n>` per dump.
    public let output: URL
    /// The preloaded library without which valgrind dies in every async Swift main
    /// (Tests/Benchmarks/CallgrindPreload), built beside the executables.
    public let preload: URL

    /// Fails with what to do when valgrind or the preload is missing.
    public init(output: URL, executables: URL) throws {
        guard (try? Process.runToEnd(["valgrind", "--version"]))?.status == 0 else {
            throw Failure(description: "valgrind is not installed (apt-get install valgrind)")
        }
        preload = executables.appendingPathComponent("libcallgrind-preload.so")
        guard FileManager.default.fileExists(atPath: preload.path) else {
            throw Failure(description: "\(preload.path) is not built (swift build --product callgrind-preload)")
        }
        self.output = output
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
    }

    /// `executable arguments` run under callgrind, and the environment it needs. valgrind
    /// runs a copy without debug information (it gives up on what Swift 6.3 writes; the
    /// symbol table, which names the functions, stays). Counting starts at once;
    /// ``zero(_:)`` drops what start-up counted.
    public func command(name: String, executable: URL, arguments: [String]) throws -> (executable: URL, arguments: [String], environment: [String: String]) {
        let copies = output.appendingPathComponent("bin", isDirectory: true)
        try FileManager.default.createDirectory(at: copies, withIntermediateDirectories: true)
        let copy = copies.appendingPathComponent(executable.lastPathComponent)
        if !FileManager.default.fileExists(atPath: copy.path) {
            let (status, said) = try Process.runToEnd(["strip", "--strip-debug", "-o", copy.path, executable.path])
            guard status == 0 else { throw Failure(description: "strip --strip-debug \(executable.path) failed: \(said)") }
        }
        let valgrind = ["--tool=callgrind", "--callgrind-out-file=\(output.appendingPathComponent(name).path).%p", "--quiet"]
        return (URL(fileURLWithPath: "/usr/bin/env"), ["valgrind"] + valgrind + [copy.path] + arguments, ["LD_PRELOAD": preload.path])
    }

    /// `executable arguments` as they are, or under `counter` when there is one.
    public static func command(under counter: Callgrind?, name: String, executable: URL, arguments: [String]) throws
        -> (executable: URL, arguments: [String], environment: [String: String]) {
        try counter?.command(name: name, executable: executable, arguments: arguments) ?? (executable, arguments, [:])
    }

    /// What each process executes per second with nothing to do, counted over `duration` (its
    /// timers and polls): under valgrind a window lasts long, and a benchmark takes this rate
    /// off the window's count in proportion to its length. The counters are zero afterwards.
    public func idlePerSecond(_ pids: [Int32], over duration: Duration) async throws -> [Int32: Double] {
        for pid in pids { try zero(pid) }
        let start = ContinuousClock.now
        try await Task.sleep(for: duration)
        var rates: [Int32: Double] = [:]
        for pid in pids {
            let elapsed = ContinuousClock.now - start
            rates[pid] = Double(try dump(pid)) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            try zero(pid)
        }
        return rates
    }

    /// Sets the counters of the process `pid` (valgrind's own pid: the program runs in it) to zero.
    public func zero(_ pid: Int32) throws {
        try control(["-z", String(pid)])
    }

    /// The instructions the process `pid` executed since its counters were last zeroed.
    public func dump(_ pid: Int32) throws -> UInt64 {
        let before = dumps(of: pid)
        try control(["-d", String(pid)])
        let ends = Date().addingTimeInterval(60)
        while Date() < ends {
            if let file = dumps(of: pid).subtracting(before).first,
               let text = try? String(contentsOf: file, encoding: .utf8), let total = Self.total(in: text) {
                return total
            }
            usleep(50_000)
        }
        throw Failure(description: "callgrind wrote no dump for process \(pid) within 60 s")
    }

    /// The `summary:` (or `totals:`) line of a callgrind dump, the instructions counted.
    static func total(in dump: String) -> UInt64? {
        for line in dump.split(separator: "\n").reversed() where line.hasPrefix("summary:") || line.hasPrefix("totals:") {
            if let value = line.split(separator: " ").last.flatMap({ UInt64($0) }) { return value }
        }
        return nil
    }

    private func dumps(of pid: Int32) -> Set<URL> {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: output.path)) ?? []
        return Set(names.filter { $0.contains(".\(pid).") }.map { output.appendingPathComponent($0) })
    }

    private func control(_ arguments: [String]) throws {
        let (status, said) = try Process.runToEnd(["callgrind_control"] + arguments, deadline: 60)
        guard status == 0, said.contains("OK") else {
            throw Failure(description: "callgrind_control \(arguments.joined(separator: " ")) failed: \(said)")
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }
}
