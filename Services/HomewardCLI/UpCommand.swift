import ArgumentParser
import Foundation
import HomewardModel
#if canImport(Glibc)
import Glibc
#endif

/// `homeward up`: the local stack on the embedded broker, for trying Homeward on one machine.
struct UpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up", abstract: "Run the embedded broker and the four services, with logs prefixed by service.",
        discussion: """
            Stores live in the data directory and survive a restart; the embedded broker keeps \
            nothing. On Ctrl-C or SIGTERM, up waits (up to 15 s) until no event is in flight, stops \
            the services, and only then the broker. A second up on the same data directory refuses \
            while the first runs, resumes after a clean stop, and refuses after a stop that left \
            events in flight, since the broker lost them (--discard-in-flight starts anyway).
            """)

    @Option(help: "Data directory: the four stores, the broker address, the lock and state files.") var data = "data"
    @Option(help: "Intake's port; health screening, travel booking and reintegration take the next three.") var portBase = 8081
    @Option(help: "Folder of the service executables (default: next to this homeward).") var bin: String?
    @Flag(help: "Drive the demo cases through every stage once the stack is ready.") var demo = false
    @Flag(help: "Start even though the last run stopped with events in flight.") var discardInFlight = false
    @OptionGroup var replicas: ReplicaCounts

    func run() async throws {
        try await oneLine("up") {
            let directory = URL(fileURLWithPath: data, isDirectory: true)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let lock = try RunLock(directory: directory)
            let state = RunState(directory: directory)
            try state.checkResumable(discardInFlight: discardInFlight)

            let executables = bin.map { URL(fileURLWithPath: $0, isDirectory: true) }
                ?? URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            let stack = LocalStack(data: directory, bin: executables, portBase: portBase, replicas: try replicas.counts())
            let signals = SignalWatch([SIGINT, SIGTERM])
            try state.record(.running)

            var bootstrap: String?
            do {
                let address = try await stack.startBroker()
                bootstrap = address
                try stack.startServices(bootstrap: address)
                try await stack.waitUntilReady()
                LocalStack.say("""

                    Homeward is running on the embedded broker at \(address), data in \(directory.path):
                    \(stack.serviceURLs.joined(separator: "\n"))
                    Try: homeward cases · homeward demo · homeward lag. Ctrl-C stops everything.

                    """)
                if demo {
                    let urls = try ServiceURLs.parse(ServiceName.allCases.flatMap { ["--\(Self.flag($0))", "http://127.0.0.1:\(stack.ports[$0]!)"] }
                                                     + ["--dev-key", directory.appendingPathComponent(DevelopmentKey.fileName).path])
                    try await Demo.run(services: urls)
                }
                await signals.next()
            } catch {
                LocalStack.say("homeward up: \(error)")
            }

            LocalStack.say("stopping: waiting for events in flight...")
            var inFlight: Int64? = nil
            if let bootstrap {
                inFlight = await stack.quiesce(bootstrap: bootstrap, within: .seconds(15))
            }
            await stack.stop(ServiceName.allCases.map(\.rawValue))
            if let bootstrap, stack.isRunning("broker") {
                inFlight = await stack.inFlight(bootstrap: bootstrap, includeOutboxes: false) ?? inFlight
            }
            await stack.stop(["broker"])
            try state.record(.stopped(inFlight: inFlight ?? -1))
            withExtendedLifetime(lock) {}
            switch inFlight {
            case 0?: LocalStack.say("stopped cleanly; `homeward up --data \(data)` resumes with these stores")
            case let count?: LocalStack.say("stopped with \(count) events in flight, which the embedded broker did not keep")
            case nil: LocalStack.say("stopped; whether events were in flight is unknown")
            }
        }
    }

    static func flag(_ service: ServiceName) -> String {
        switch service {
        case .intake: "intake"
        case .healthScreening: "health"
        case .travelBooking: "travel"
        case .reintegration: "reintegration"
        }
    }
}

extension LocalStack {
    /// Polls until nothing is in flight twice in a row, or `within` runs out; returns the
    /// last count, or nil when it could not be read.
    func quiesce(bootstrap: String, within: Duration) async -> Int64? {
        let deadline = ContinuousClock.now.advanced(by: within)
        var last: Int64?
        var quietPolls = 0
        while ContinuousClock.now < deadline {
            last = await inFlight(bootstrap: bootstrap, includeOutboxes: true)
            quietPolls = last == 0 ? quietPolls + 1 : 0
            if quietPolls == 2 { return 0 }
            try? await Task.sleep(for: .milliseconds(250))
        }
        return last
    }
}

/// One `homeward up` per data directory: an exclusive lock held while it runs.
struct RunLock: ~Copyable {
    let descriptor: Int32

    init(directory: URL) throws {
        let path = directory.appendingPathComponent("homeward-up.lock").path
        descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)  // children must not hold it
        guard descriptor >= 0 else { throw CommandFailure(description: "cannot open \(path): \(String(cString: strerror(errno)))") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            close(descriptor)
            throw CommandFailure(description: "another homeward up is running on \(directory.path)\(holder.isEmpty ? "" : " (pid \(holder))"); stop it first, or use another --data")
        }
        ftruncate(descriptor, 0)
        let pid = "\(getpid())\n"
        _ = pid.withCString { write(descriptor, $0, strlen($0)) }
    }

    deinit { close(descriptor) }
}

/// What the last `homeward up` on a data directory left behind: still running (it was
/// killed) or stopped, with how many events were in flight when the broker went.
struct RunState {
    enum Status: Equatable {
        case running
        case stopped(inFlight: Int64)
    }

    let file: URL

    init(directory: URL) {
        file = directory.appendingPathComponent("homeward-up.state")
    }

    func record(_ status: Status) throws {
        let text = switch status {
        case .running: "running \(Instant.format(Date()))\n"
        case .stopped(let inFlight): "stopped \(Instant.format(Date())) in-flight \(inFlight)\n"
        }
        try Data(text.utf8).write(to: file, options: .atomic)
    }

    func checkResumable(discardInFlight: Bool) throws {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return }
        let words = text.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        let reason: String? = switch words.first {
        case "running": "the last homeward up here (\(words.dropFirst().first ?? "?")) did not stop cleanly"
        case "stopped" where words.count >= 4 && words[3] != "0":
            words[3] == "-1" ? "the last homeward up here could not tell whether events were in flight when it stopped"
                : "the last homeward up here stopped with \(words[3]) events in flight"
        default: nil
        }
        guard let reason else { return }
        guard discardInFlight else {
            throw CommandFailure(description: """
                refusing to start: \(reason), and the embedded broker keeps nothing across restarts, \
                so those events are gone and the stores may disagree. Start with --discard-in-flight to accept that, \
                or use a fresh --data directory
                """)
        }
        LocalStack.say("starting despite: \(reason) (--discard-in-flight)")
    }
}

/// SIGINT and SIGTERM, caught instead of killing us, so that shutdown runs in order.
final class SignalWatch {
    private let stream: AsyncStream<Int32>
    private let sources: [any DispatchSourceSignal]

    init(_ numbers: [Int32]) {
        let (stream, continuation) = AsyncStream<Int32>.makeStream()
        self.stream = stream
        sources = numbers.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            return source
        }
    }

    func next() async {
        for await _ in stream { return }
    }
}
