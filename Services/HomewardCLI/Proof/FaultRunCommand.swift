import ArgumentParser
import Foundation
import HomewardClient
import HomewardJourneys
import HomewardModel
import Kafka
import Logging
import Synchronization

/// `homeward fault-run`: journeys through every stage while services die, the broker goes
/// away, requests fail and poison arrives; then the checks that nothing was lost or doubled.
struct FaultRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fault-run", abstract: "Run journeys under faults and check every store and topic afterwards.",
        discussion: """
            Starts the embedded broker and the four services, runs --cases journeys (the nine that \
            run at any hour, in turn) while at random: a service is killed with SIGKILL and started \
            again, the broker goes down for up to --outage-seconds, requests fail before sending or \
            lose their answer, and poison events are published. Then it waits until nothing is in \
            flight and checks: every journey ended in the state its script expects (each checks every \
            service's view and intake's timeline); every consumer applied every event of its \
            subscriptions exactly once (the stores agree with the topics and so with each other); \
            no effect was published twice; the dead-letter topics hold exactly the poison events, \
            once per consumer group. Exit 0 only when every check holds. \
            With --hosts 2, every service runs on two hosts (each with data directories of its \
            own and --replicas replicas of each service, the changelogs on), staff work through \
            host 1, and --host-losses times a host other than the first is lost whole (every \
            process killed at once, its directories deleted) and comes back empty, never within \
            10 s of a broker outage, and no replica is killed then either (a host, or a replica \
            whose partitions another host takes, lost while its changes cannot reach Kafka \
            loses them: the one loss the design accepts); with --namespaces, hosts 2 and up are Linux network namespaces with addresses of their own.
            """)

    @Option(help: "Journeys (cases) to run.") var cases = 2_000
    @Option(help: "Journeys in flight at most.") var concurrency = 48
    @Option(help: "SIGKILLs at least, spread over the run.") var kills = 30
    @Option(help: "Broker outages.") var outages = 3
    @Option(help: "Longest broker outage, in seconds.") var outageSeconds = 10.0
    @Option(help: "Poison events to publish.") var poison = 20
    @Option(help: "Share of requests that fail (half before sending, half losing their answer).") var requestErrors = 0.02
    @Option(help: "Random seed (a run with the same seed injects the same faults, modulo timing).") var seed: UInt64 = 2026
    @Option(help: "First of the four ports the services take.") var portBase = 9581
    @Option(help: "Data directory (default: a new temporary one, kept when a check fails).") var data: String?
    @OptionGroup var replicas: ReplicaCounts
    @Option(help: "Hosts the services run on, each with data directories of its own and --replicas replicas of every service; more than one turns the changelogs on.")
    var hosts = 1
    @Option(help: "With --hosts 2 or more: hosts lost whole (every process killed, its data directories deleted) and brought back empty.")
    var hostLosses = 2
    @Flag(help: "With --hosts 2 or more: hosts 2 and up as Linux network namespaces with addresses of their own (needs root, iproute2 and socat).")
    var namespaces = false
    @Option(help: "Folder of the service executables (default: next to this homeward).") var bin: String?

    func run() async throws {
        var failed = false
        try await oneLine("fault-run") {
            let directory = URL(fileURLWithPath: data ?? FileManager.default.temporaryDirectory.appendingPathComponent("homeward-fault-run-\(UUID().uuidString.prefix(8))").path)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let executables = bin.map { URL(fileURLWithPath: $0, isDirectory: true) }
                ?? URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            guard (1...4).contains(hosts) else { throw ValidationError("--hosts takes 1 to 4") }
            // Killed members' partitions move on within seconds instead of the default session timeout.
            var environment = Journeys.requiredEnvironment.merging(["KAFKA_PROPERTIES": "session.timeout.ms=4000,heartbeat.interval.ms=500"]) { $1 }
            if hosts > 1 { environment["STORE_CHANGELOG"] = "true" }
            let perHost = try replicas.counts()
            var network: NetworkHosts?
            if namespaces {
                guard hosts > 1 else { throw ValidationError("--namespaces places hosts 2 and up: give --hosts 2 or more") }
                guard NetworkHosts.available else { throw ValidationError("--namespaces needs root, iproute2 and socat (deploy/local/install-deps.sh)") }
                network = try NetworkHosts()
                for host in 2...hosts { try network!.add(LocalStack.hostName(host)) }
            }
            defer { network?.close() }
            let stack = LocalStack(data: directory, bin: executables, portBase: portBase, logsToFiles: true, environment: environment,
                                   replicas: Dictionary(uniqueKeysWithValues: ServiceName.allCases.map { ($0, (perHost[$0] ?? 1) * hosts) }),
                                   hosts: hosts, network: network)
            let bootstrap = try await stack.startBroker()
            try stack.startServices(bootstrap: bootstrap)
            try await stack.waitUntilReady()
            LocalStack.say("stack ready; data and logs in \(directory.path)")

            let random = SeededRandom(seed: seed)
            let progress = ProgressCounter(total: cases)
            let errorRate = requestErrors
            let faults = FaultHooks(beforeSending: { _ in
                if random.unit() < errorRate / 2 {
                    progress.injectedCount.withLock { $0 += 1 }
                    throw InjectedFault()
                }
            }, dropsAnswer: { _, _ in
                guard random.unit() < errorRate / 2 else { return false }
                progress.injectedCount.withLock { $0 += 1 }
                return true
            })
            let staff = Staff(host: "127.0.0.1", portBase: portBase, credentials: try await stack.staffCredentials(), faults: faults, timing: Timing(stepDeadline: .seconds(300), waitDeadline: .seconds(300)))
            let chaos = Chaos(stack: stack, bootstrap: bootstrap, random: random)
            var logger = Logger(label: "fault-run")
            logger.logLevel = .critical
            let producer = try KafkaProducer(config: KafkaConfig(bootstrapServers: bootstrap), logger: logger)

            let journeys: [Journey] = (0..<cases).map { Journeys.anyHour(seed: $0)[$0 % Journeys.anyHour(seed: $0).count] }
            let started = ContinuousClock.now
            let faultsTask = Task {
                try await injectFaults(chaos, producer: producer, random: random, progress: progress)
            }
            let outcomes = await JourneyRunner(staff: staff, concurrency: concurrency, rate: nil).run(journeys) { outcome in
                progress.done(failed: { if case .failure = outcome.result { true } else { false } }())
            }
            faultsTask.cancel()
            _ = try? await faultsTask.value
            let elapsed = seconds(ContinuousClock.now - started)

            // Every replica up again, then nothing in flight.
            for child in stack.serviceChildren where !stack.isRunning(child) { try stack.restart(child) }
            stack.tellBroker("up 1")
            try await stack.waitUntilReady()
            let inFlight = await stack.quiesce(bootstrap: bootstrap, within: .seconds(180))
            await producer.close()

            let audit = try await StackAudit(stack: stack, bootstrap: bootstrap, logger: logger).run(expectedPoison: chaos.poisoned)
            await stack.stopAll()

            let journeyFailures = outcomes.compactMap { outcome -> String? in
                if case .failure(let error) = outcome.result { return "journey \(outcome.index) (\(outcome.title)): \(error)" }
                return nil
            }
            let (outageCount, outageTime) = chaos.outages
            print("""

                == Fault run: \(cases) cases in \(String(format: "%.0f", elapsed)) s (\(String(format: "%.1f", Double(cases) / elapsed)) cases/s), seed \(seed) ==
                faults: \(chaos.kills) SIGKILLs, \(outageCount) broker outages (\(String(format: "%.0f", outageTime)) s in all), \
                \(hosts > 1 ? "\(chaos.hostLosses) hosts lost, " : "")\(chaos.poisoned.count) poison events, \(progress.injected) request errors injected
                """)
            var checks: [(String, Bool, String)] = [
                ("at least \(kills) SIGKILLs during the run", chaos.kills >= kills, "\(chaos.kills)"),
                ("every journey ended as its script expects", journeyFailures.isEmpty, "\(cases - journeyFailures.count) of \(cases)"),
                ("nothing left in flight", inFlight == 0, "\(inFlight.map(String.init) ?? "unknown")"),
            ]
            if hosts > 1 { checks.append(("\(hostLosses) hosts lost during the run", chaos.hostLosses == hostLosses, "\(chaos.hostLosses)")) }
            checks += audit
            for (name, ok, detail) in checks { print("  \(ok ? "PASS" : "FAIL")  \(name): \(detail)") }
            for failure in journeyFailures.prefix(10) { print("    \(failure)") }
            failed = checks.contains { !$0.1 }
            print(failed ? "\nsome checks FAILED; data and logs kept in \(directory.path)" : "\nall checks passed")
            if !failed && data == nil { try? FileManager.default.removeItem(at: directory) }
        }
        if failed { throw ExitCode(1) }
    }

    /// Faults spread over the run by its progress, each moment jittered: kills, host losses
    /// and poison over the first two thirds of the journeys (the i-th of n when about
    /// i/(n+1) of that share is done), outages over the first half, so that what waits for
    /// an outage to be 10 s past still finds journeys running: the journeys held up by an
    /// outage finish in a burst once it ends.
    ///
    /// With two hosts or more, no host is lost and no replica killed sooner than 10 s after
    /// a broker outage: what a replica commits while its changelog cannot reach Kafka is on
    /// its host's disk alone until the broker is back (answers wait 5 s for it, then go),
    /// and a replica gone before publishing it leaves its partitions to a host that
    /// restores them without it: that double fault loses it, by design.
    func injectFaults(_ chaos: Chaos, producer: KafkaProducer, random: SeededRandom, progress: ProgressCounter) async throws {
        func moments(_ count: Int, within share: Double = 2.0 / 3) -> [Double] {
            (1...max(1, count)).prefix(count).map { share * (Double($0) + random.unit() - 0.5) / Double(count + 1) }.sorted()
        }
        var killAt = moments(kills), outageAt = moments(outages, within: 0.5), poisonAt = moments(poison)
        var hostLossAt = hosts > 1 ? moments(hostLosses) : []
        var outageEnded = ContinuousClock.now.advanced(by: .seconds(-60))
        while !Task.isCancelled {
            try await Task.sleep(for: .milliseconds(250))
            let share = progress.share
            if let next = poisonAt.first, next <= share {
                poisonAt.removeFirst()
                try await chaos.poison(producer: producer)
            }
            if let next = outageAt.first, next <= share {
                outageAt.removeFirst()
                try await chaos.brokerOutage(maximum: outageSeconds)
                outageEnded = .now
            } else if let next = hostLossAt.first, next <= share, outageEnded.duration(to: .now) > .seconds(10) {
                hostLossAt.removeFirst()
                // Never host 1: staff work through it, as through an office's own gateway.
                try await chaos.loseHost(2 + random.int(0..<(hosts - 1)))
            } else if let next = killAt.first, next <= share, hosts == 1 || outageEnded.duration(to: .now) > .seconds(10) {
                killAt.removeFirst()
                try await chaos.killOne()
            }
        }
    }
}

struct InjectedFault: Error, CustomStringConvertible {
    var description: String { "injected by the fault run" }
}

/// Journeys finished so far, printed every 5%.
final class ProgressCounter: Sendable {
    private let state = Mutex<(done: Int, failed: Int, printed: Int)>((0, 0, 0))
    let total: Int
    let injectedCount = Mutex(0)

    init(total: Int) { self.total = total }

    var share: Double { state.withLock { Double($0.done) / Double(max(1, total)) } }
    var injected: Int { injectedCount.withLock { $0 } }

    func done(failed: Bool) {
        let line: String? = state.withLock { state in
            state.done += 1
            if failed { state.failed += 1 }
            let step = state.done * 20 / max(1, total)
            guard step > state.printed else { return nil }
            state.printed = step
            return "  \(state.done) of \(total) journeys done (\(state.failed) failed)"
        }
        if let line { LocalStack.say(line) }
    }
}
