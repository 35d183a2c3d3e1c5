import ArgumentParser
import Foundation
import HomewardAccess
import HomewardJourneys
import HomewardModel
import Kafka
import Logging
import StageProbeKit

/// `homeward-bench stage`: raw throughput of one stage in one process on the embedded broker:
/// Kafka consumer → SQLite transaction (effect + inbox + outbox) → outbox relay →
/// idempotent producer, until the broker acknowledged every output.
///
/// Build it and the stage in release mode first:
///     swift build -c release --product homeward-bench --product stage-probe
///     .build/release/homeward-bench stage --events 50000
struct StageThroughput: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stage",
        abstract: "Measure one stage's consume → store → outbox → produce throughput on the embedded broker.")

    @Option(help: "Input events to pre-load.")
    var events = 50_000

    @Option(help: "Cases the events are spread over (per-case order is kept).")
    var cases = 2_000

    @Option(help: "Partitions of each topic.")
    var partitions = 12

    @Option(help: "Largest batch the consumer applies in one transaction (CONSUMER_BATCH_MAX).")
    var batch = 500

    @Option(help: "Run the stage under valgrind's callgrind and report its instructions per event in the steady state; the dump stays in this directory. Needs valgrind and the callgrind-preload library (swift build --product callgrind-preload).")
    var callgrind: String?

    func run() async throws {
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        let broker = try EmbeddedBroker(logger: logger)
        for (topic, count) in ServiceName.allTopics(partitions: partitions) { try broker.createTopic(TopicSpec(name: topic, partitions: count)) }
        let config = KafkaConfig(bootstrapServers: broker.bootstrapServers)

        // Pre-load the input.
        let producer = try KafkaProducer(config: config, logger: logger)
        let encoder = EventCoding.encoder()
        let perCase = max(1, events / cases)
        var messages: [OutgoingMessage] = []
        messages.reserveCapacity(events)
        for i in 0..<events {
            let event = CloudEvent(caseID: CaseID("case-\(i % cases)"), data: ProbeRequested(seq: i / cases + 1))
            messages.append(OutgoingMessage(topic: ServiceName.intake.topic, key: event.subject.rawValue, value: try encoder.encode(event)))
        }
        let loadStart = ContinuousClock.now
        for chunk in stride(from: 0, to: messages.count, by: 10_000) {
            for result in await producer.send(Array(messages[chunk..<min(chunk + 10_000, messages.count)])) { _ = try result.get() }
        }
        let loadTime = ContinuousClock.now - loadStart
        await producer.close()
        print("pre-loaded \(events) events (\(cases) cases, ~\(perCase) each, \(partitions) partitions) in \(format(loadTime)): \(rate(events, loadTime)) events/s produced")

        // One stage process on a fresh store.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("homeward-bench-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let executables = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let counter = try callgrind.map { try Callgrind(output: URL(fileURLWithPath: $0, isDirectory: true), executables: executables) }
        let probe = executables.appendingPathComponent("stage-probe")
        let command = try Callgrind.command(under: counter, name: "stage-probe", executable: probe, arguments: [])
        let stage = Process()
        stage.executableURL = command.executable
        stage.arguments = command.arguments
        stage.environment = ProcessInfo.processInfo.environment.merging(command.environment) { $1 }.merging([
            "PROBE_ROLE": "first", "KAFKA_BOOTSTRAP_SERVERS": broker.bootstrapServers,
            "STORE_DIRECTORY": directory.appendingPathComponent("stage").path, "HTTP_PORT": "0",
            "KAFKA_TOPIC_PARTITIONS": String(partitions), "LOG_LEVEL": "warning", "CONSUMER_BATCH_MAX": String(batch),
            // The stage runs the services' runtime, which refuses to start without a token key.
            "AUTH_DEV_KEY": AccessKeys.generateDevelopmentKey().base64EncodedString(),
        ]) { $1 }
        let errors = directory.appendingPathComponent("stage.log")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        stage.standardError = try FileHandle(forWritingTo: errors)
        let started = ContinuousClock.now
        try stage.run()
        defer { if stage.isRunning { kill(stage.processIdentifier, SIGKILL) } }

        var firstOutput: (ContinuousClock.Instant, Int64)?
        var last: Int64 = 0
        while last < Int64(events) {
            try await Task.sleep(for: .milliseconds(20))
            guard stage.isRunning else {
                let said = (try? String(contentsOf: errors, encoding: .utf8))?.split(separator: "\n").suffix(5).joined(separator: "\n") ?? ""
                throw ValidationError("the stage process exited (status \(stage.terminationStatus)):\n\(said)")
            }
            last = try await KafkaAdmin.messageCounts(topic: ServiceName.healthScreening.topic, config: config, logger: logger).values.reduce(0, +)
            if firstOutput == nil && last > 0 {
                try counter?.zero(stage.processIdentifier)
                firstOutput = (.now, try await KafkaAdmin.messageCounts(topic: ServiceName.healthScreening.topic, config: config, logger: logger).values.reduce(0, +))
            }
        }
        let done = ContinuousClock.now
        let (steadyStart, steadyBase) = firstOutput!
        let steady = done - steadyStart
        print("stage applied \(events) events and the broker acknowledged \(last) outputs")
        print("  from process start: \(format(done - started)) (\(rate(events, done - started)) events/s, includes start-up and group join)")
        print("  steady state:       \(format(steady)) for \(Int64(events) - steadyBase) events: \(rate(Int(Int64(events) - steadyBase), steady)) events/s")
        if let counter {
            let counted = try counter.dump(stage.processIdentifier)
            print("  instructions per event in the steady state (callgrind): \(counted / UInt64(max(1, Int64(events) - steadyBase)))")
        }
        kill(stage.processIdentifier, SIGTERM)
        stage.waitUntilExit()
        let stores = (try? FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("stage").path)) ?? []
        let size = stores.filter { $0.hasSuffix(".sqlite") }.reduce(0) { total, name in
            total + ((try? FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent("stage/\(name)").path)[.size] as? Int) ?? 0)
        }
        print("  stores: \(size / 1024) KiB (plus WAL)")
        broker.shutdown()
    }

    func rate(_ count: Int, _ duration: Duration) -> Int {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return seconds > 0 ? Int(Double(count) / seconds) : 0
    }

    func format(_ duration: Duration) -> String {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return String(format: "%.2f s", seconds)
    }
}
