public import Foundation
import HomewardJourneys

/// A real executable of this package started as a child process, its output in a log file.
public final class ChildProcess: @unchecked Sendable {
    public let name: String
    public let process = Process()
    public let logURL: URL
    private var stdinPipe: Pipe?
    private let stdoutPipe: Pipe?

    /// The folder holding this package's built executables (next to the test bundle).
    public static let productsDirectory: URL = {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var dir = exe.deletingLastPathComponent()
        if dir.lastPathComponent.hasSuffix(".xctest") { dir.deleteLastPathComponent() }
        return dir
    }()

    /// - Parameters:
    ///   - captureStdout: keep standard output readable through ``readLine()`` (the broker).
    ///   - namespace: the network namespace to run in (a host of ``NetworkHosts``); `ip netns
    ///     exec` execs the executable, so ``pid`` is its own.
    public init(_ executable: String, arguments: [String] = [], environment: [String: String], logDirectory: URL,
         captureStdout: Bool = false, withStdin: Bool = false, namespace: String? = nil) throws {
        name = executable
        let path = Self.productsDirectory.appendingPathComponent(executable)
        guard FileManager.default.isExecutableFile(atPath: path.path) else {
            throw TestFailure("\(path.path) is not built: run `swift build` first")
        }
        NetworkHosts.prepare(process, executable: path, arguments: arguments, in: namespace)
        var env = ProcessInfo.processInfo.environment
        // The CLI signs its tokens with the key the services under test trust.
        env["HOMEWARD_DEV_KEY_FILE"] = TestAccess.developmentKeyFile
        env.merge(environment) { $1 }
        process.environment = env
        process.currentDirectoryURL = logDirectory
        logURL = logDirectory.appendingPathComponent("\(executable)-\(UUID().uuidString.prefix(6)).log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let log = try FileHandle(forWritingTo: logURL)
        process.standardError = log
        if captureStdout {
            let pipe = Pipe()
            process.standardOutput = pipe
            stdoutPipe = pipe
        } else {
            process.standardOutput = log
            stdoutPipe = nil
        }
        if withStdin {
            let pipe = Pipe()
            process.standardInput = pipe
            stdinPipe = pipe
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
    }

    public var pid: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }

    public func send(_ line: String) {
        stdinPipe?.fileHandleForWriting.write(Data((line + "\n").utf8))
    }

    /// Reads one line of standard output (blocking; only with `captureStdout`).
    public func readLine() -> String? {
        guard let handle = stdoutPipe?.fileHandleForReading else { return nil }
        var bytes = Data()
        while true {
            let byte = handle.readData(ofLength: 1)
            if byte.isEmpty { return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self) }
            if byte.first == 0x0A { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte)
        }
    }

    public func signal(_ number: Int32) {
        if process.isRunning { kill(process.processIdentifier, number) }
    }

    /// Waits for the process to exit; SIGKILLs it after `timeout`. Returns its status.
    @discardableResult
    public func waitForExit(timeout: Duration = .seconds(20)) async -> Int32 {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while process.isRunning {
            if ContinuousClock.now > deadline {
                kill(process.processIdentifier, SIGKILL)
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return process.terminationStatus
    }

    public func stop() async {
        signal(SIGTERM)
        await waitForExit(timeout: .seconds(15))
    }

    public var log: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
