import ArgumentParser
import Foundation
import HomewardJourneys
import HomewardModel
import Kafka
import Logging

/// `homeward bench`: the whole stack on the embedded broker under load (a benchmark, not a test).
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Benchmark the stack on the embedded broker: journeys end to end, or one stage alone.",
        discussion: """
            Journeys: starts the embedded broker and the four services (release builds give the \
            real figures: swift build -c release, then .build/release/homeward bench), pushes N cases \
            through every stage as staff would over HTTP, and reports cases per second, event hop \
            latency (publish to the consumer's commit) per topic, HTTP latency per endpoint, peak \
            and idle resident memory and CPU seconds per service, and store sizes. \
            Single stage (--stage health-screening): N events pre-loaded on intake's topic, then \
            the time for health screening to apply them all and have its output acknowledged.
            """)

    @Option(help: "Cases to push through.") var cases = 500
    @Option(help: "Journeys started per second (default: as fast as the concurrency allows).") var rate: Double?
    @Option(help: "Journeys in flight at most.") var concurrency = 64
    @Option(help: "full: the single adult through every stage; mix: the ten journeys in turn (those that run at any hour).")
    var mix = "full"
    @Option(help: "Benchmark one stage alone instead: health-screening.") var stage: String?
    @Option(help: "Pre-loaded input events for --stage.") var events = 20_000
    @Option(help: "First of the four ports the services take.") var portBase = 9481
    @Option(help: "Data directory (default: a new temporary one, removed afterwards).") var data: String?
    @Option(help: "Folder of the service executables (default: next to this homeward).") var bin: String?

    func run() async throws {
        try await oneLine("bench") {
            let keep = data != nil
            let directory = URL(fileURLWithPath: data ?? FileManager.default.temporaryDirectory.appendingPathComponent("homeward-bench-\(UUID().uuidString.prefix(8))").path)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { if !keep { try? FileManager.default.removeItem(at: directory) } }
            let executables = bin.map { URL(fileURLWithPath: $0, isDirectory: true) }
                ?? URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            let stack = LocalStack(data: directory, bin: executables, portBase: portBase, logsToFiles: true)
            if let stage, stage != ServiceName.healthScreening.rawValue {
                throw ServiceClient.Failure(description: "--stage takes health-screening (the stage with a pre-loadable input)")
            }
            do {
                if stage == nil { try await journeys(stack) } else { try await singleStage(stack) }
            } catch {
                await stack.stopAll()
                throw error
            }
            await stack.stopAll()
        }
    }

    func journeys(_ stack: LocalStack) async throws {
        let bootstrap = try await stack.startBroker()
        try stack.startServices(bootstrap: bootstrap)
        try await stack.waitUntilReady()
        let latencies = EndpointLatencies()
        let staff = Staff(host: "127.0.0.1", portBase: portBase, credentials: try await stack.staffCredentials(), timing: Timing(), observer: { request, seconds in
            latencies.record(service: request.service, method: request.method, path: request.path, seconds: seconds)
        })
        print("warming up (one journey of each kind, consumers joining)...")
        for journey in Journeys.anyHour(seed: 1_000_000) { _ = try await journey.run(staff, progress: { _ in }) }
        _ = await stack.quiesce(bootstrap: bootstrap, within: .seconds(30))
        let idle = Dictionary(uniqueKeysWithValues: ServiceName.allCases.compactMap { s in stack.pid(s.rawValue).flatMap(ProcessSample.read).map { (s, $0) } })
        let before = await scrapeAll(stack)
        latencies.reset()

        let work: [any Journey] = (0..<cases).map { i in
            mix == "mix" ? Journeys.anyHour(seed: i)[i % 9] : SingleAdultJourney(seed: i)
        }
        print("running \(cases) \(mix == "mix" ? "mixed journeys" : "full journeys") at \(rate.map { "\($0)/s" } ?? "full speed"), \(concurrency) at most in flight...")
        let started = ContinuousClock.now
        let outcomes = await JourneyRunner(staff: staff, concurrency: concurrency, rate: rate).run(work)
        let elapsed = seconds(ContinuousClock.now - started)
        _ = await stack.quiesce(bootstrap: bootstrap, within: .seconds(60))
        let after = await scrapeAll(stack)
        let failures = outcomes.filter { if case .failure = $0.result { true } else { false } }

        print("\n== Journeys ==")
        print(String(format: "%d cases in %.1f s: %.1f cases/s end to end; %d failed", cases, elapsed, Double(cases) / elapsed, failures.count))
        let durations = outcomes.map { seconds($0.elapsed) }.sorted()
        print("journey duration p50 \(milliseconds(quantile(0.5, durations))), p95 \(milliseconds(quantile(0.95, durations))), p99 \(milliseconds(quantile(0.99, durations)))")
        for failure in failures.prefix(5) { if case .failure(let error) = failure.result { print("  failed: \(error)") } }

        print("\n== Event hop, publish to the consumer's commit (p50 / p95 / p99, events) ==")
        for service in ServiceName.allCases {
            guard let afterHops = after[service]?.hopHistograms else { continue }
            let beforeHops = before[service]?.hopHistograms ?? [:]
            for topic in afterHops.keys.sorted() {
                let buckets = histogramDelta(afterHops[topic]!, beforeHops[topic])
                let count = Int(buckets.last?.1 ?? 0)
                guard count > 0 else { continue }
                let q = [0.5, 0.95, 0.99].map { histogramQuantile($0, buckets).map(milliseconds) ?? "-" }
                print("  \(topic.padding(toLength: 34, withPad: " ", startingAt: 0)) → \(service.rawValue.padding(toLength: 17, withPad: " ", startingAt: 0)) \(q.joined(separator: " / "))  (\(count))")
            }
        }

        print("\n== HTTP latency per endpoint (p50 / p95 / p99, requests) ==")
        for (endpoint, samples) in latencies.byEndpoint.sorted(by: { $0.key < $1.key }) {
            print("  \(endpoint.padding(toLength: 58, withPad: " ", startingAt: 0)) \([0.5, 0.95, 0.99].map { milliseconds(quantile($0, samples)) }.joined(separator: " / "))  (\(samples.count))")
        }

        report(stack, idle: idle)
    }

    func singleStage(_ stack: LocalStack) async throws {
        let bootstrap = try await stack.startBroker()
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        let producer = try KafkaProducer(config: KafkaConfig(bootstrapServers: bootstrap), logger: logger)
        print("pre-loading \(events) ReadyForScreening events on \(ServiceName.intake.topic)...")
        let encoder = EventCoding.encoder()
        for chunk in stride(from: 0, to: events, by: 2_000) {
            let messages = try (chunk..<min(events, chunk + 2_000)).map { i in
                let event = CloudEvent(caseID: CaseID("BENCH-\(i)"), data: ReadyForScreening(travellers: [
                    .init(travellerID: TravellerID("BENCH-\(i)-T1"), ageYears: 20 + i % 50, sex: i % 2 == 0 ? .female : .male)]))
                return OutgoingMessage(topic: ServiceName.intake.topic, key: event.subject.rawValue, value: try encoder.encode(event))
            }
            for result in await producer.send(messages) { _ = try result.get() }
        }
        await producer.close()

        let service = ServiceName.healthScreening
        let launched = ContinuousClock.now
        try stack.startService(service, bootstrap: bootstrap)
        var firstApplied: ContinuousClock.Instant?
        var done: ContinuousClock.Instant?
        var peak = 0
        while done == nil {
            try await Task.sleep(for: .milliseconds(20))
            if let pid = stack.pid(service.rawValue), let sample = ProcessSample.read(pid: pid) { peak = max(peak, sample.peakResident) }
            guard let metrics = await ServiceMetrics.scrape(port: stack.ports[service]!) else { continue }
            let applied = metrics.total("homeward_events_applied_total")
            if applied > 0, firstApplied == nil { firstApplied = .now }
            let produced = metrics.total("homeward_events_produced_total")
            if applied >= Double(events), produced >= Double(events), metrics.total("homeward_outbox_backlog") == 0 { done = .now }
            guard ContinuousClock.now - launched < .seconds(600) else { throw ServiceClient.Failure(description: "the stage did not finish within 10 minutes") }
        }
        let working = seconds(done! - firstApplied!)
        print("\n== Single stage: health screening ==")
        print(String(format: "%d events applied and their %d outputs acknowledged in %.2f s from the first apply: %.0f events/s", events, events, working, Double(events) / working))
        print(String(format: "(%.2f s from process start, joining the group included)", seconds(done! - launched)))
        print("peak resident \(megabytes(peak)); store \(megabytes(storeSize(stack.data.appendingPathComponent("\(service.rawValue).sqlite").path)))")
    }

    func scrapeAll(_ stack: LocalStack) async -> [ServiceName: ServiceMetrics] {
        var result: [ServiceName: ServiceMetrics] = [:]
        for service in ServiceName.allCases { result[service] = await ServiceMetrics.scrape(port: stack.ports[service]!) }
        return result
    }

    func report(_ stack: LocalStack, idle: [ServiceName: ProcessSample]) {
        print("\n== Processes ==")
        print("  service             idle RSS    peak RSS    CPU s    store")
        for service in ServiceName.allCases {
            guard let pid = stack.pid(service.rawValue), let sample = ProcessSample.read(pid: pid) else { continue }
            let store = storeSize(stack.data.appendingPathComponent("\(service.rawValue).sqlite").path)
            print("  \(service.rawValue.padding(toLength: 17, withPad: " ", startingAt: 0)) \(megabytes(idle[service]?.resident ?? 0).leftPad(10)) \(megabytes(sample.peakResident).leftPad(11)) \(String(format: "%8.1f", sample.cpuSeconds))  \(megabytes(store).leftPad(9))")
        }
    }
}

extension String {
    func leftPad(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
