import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
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
            and idle resident memory and CPU seconds per service, store sizes, and CPU per journey with \
            the share of it the services spend idle (their rate over 5 s of quiet before the run). \
            Single stage (--stage health-screening): the stage started and its partitions shared \
            out, then N events loaded on intake's topic, and the time from the first apply until \
            every output is acknowledged; with --replicas 1,2,3, once per replica count (all on one \
            data directory, a fresh broker each), side by side; --one-per-core pins each replica \
            to a core of its own.
            """)

    @Option(help: "Cases to push through.") var cases = 500
    @Option(help: "Journeys started per second (default: as fast as the concurrency allows).") var rate: Double?
    @Option(help: "Journeys in flight at most.") var concurrency = 64
    @Option(help: "full: the single adult through every stage; mix: the journeys in turn (those that run at any hour).")
    var mix = "full"
    @Option(help: "Benchmark one stage alone instead: health-screening.") var stage: String?
    @Option(help: "Pre-loaded input events for --stage.") var events = 20_000
    @Option(help: "Replicas of the stage with --stage, one run per count on the same events: 1,2,3.") var replicas = "1"
    @Flag(help: "With --stage: give each replica one core of its own (replica i on core i-1, modulo the cores), as a deployment that gives each replica one CPU.")
    var onePerCore = false
    @Flag(help: "With --stage: run the stage with its changelog (STORE_CHANGELOG=true); after the last run, lose the stage's host (every replica killed, its data directory deleted) and start one replica again: restore time from the changelog and failover time.")
    var restore = false
    @Option(help: "With --stage and two or more replicas: each replica on a data directory of its own, as on hosts of their own, with the changelog and this many standby copies of each partition (STORE_STANDBY_REPLICAS); after the last run, lose the first replica's host (killed, its directory deleted): failover time, with warm copies (1) or without (0).")
    var failover: Int?
    @Option(help: "First of the four ports the services take.") var portBase = 9481
    @Option(help: "Data directory (default: a new temporary one, removed afterwards).") var data: String?
    @Option(help: "Folder of the service executables (default: next to this homeward).") var bin: String?
    @Option(help: "Run the services under valgrind's callgrind and report the instructions they execute per journey (per event with --stage), a figure far steadier than the machine's speed (compare runs made side by side: work the clock paces is counted too); the dumps stay in this directory for callgrind_annotate. Needs valgrind and the callgrind-preload library (swift build --product callgrind-preload).")
    var callgrind: String?

    func run() async throws {
        try await oneLine("bench") {
            let keep = data != nil
            let directory = URL(fileURLWithPath: data ?? FileManager.default.temporaryDirectory.appendingPathComponent("homeward-bench-\(UUID().uuidString.prefix(8))").path)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { if !keep { try? FileManager.default.removeItem(at: directory) } }
            let executables = bin.map { URL(fileURLWithPath: $0, isDirectory: true) }
                ?? URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            if let stage {
                guard stage == ServiceName.healthScreening.rawValue else {
                    throw CommandFailure(description: "--stage takes health-screening (the stage with a pre-loadable input)")
                }
                try await singleStage(data: directory, executables: executables)
                return
            }
            let stack = LocalStack(data: directory, bin: executables, portBase: portBase, logsToFiles: true, environment: quietFetches, callgrind: try counter())
            do {
                try await journeys(stack)
            } catch {
                await stack.stopAll()
                throw error
            }
            await stack.stopAll()
        }
    }

    /// Under callgrind, consumers fetch with librdkafka's default wait instead of the local
    /// stack's 5 ms: the embedded broker answers an empty fetch only when the wait ends, and
    /// the fetches of idle consumers, fifty times slower under valgrind, would otherwise be
    /// most of what is counted. Hops take longer; the instructions of the work do not change.
    var quietFetches: [String: String] {
        callgrind == nil || ProcessInfo.processInfo.environment["KAFKA_PROPERTIES"] != nil ? [:] : ["KAFKA_PROPERTIES": "fetch.wait.max.ms=500"]
    }

    /// How long the services may take to start: under valgrind some fifty times longer.
    var starting: Duration { callgrind == nil ? .seconds(90) : .seconds(900) }

    /// The instruction counter of `--callgrind`. Its preload comes from beside this homeward,
    /// so that services of another build (`--bin`, an A/B) are counted the same way.
    func counter() throws -> Callgrind? {
        let own = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        return try callgrind.map { try Callgrind(output: URL(fileURLWithPath: $0, isDirectory: true), executables: own) }
    }

    func journeys(_ stack: LocalStack) async throws {
        let bootstrap = try await stack.startBroker()
        try stack.startServices(bootstrap: bootstrap)
        try await stack.waitUntilReady(timeout: starting)
        let latencies = EndpointLatencies()
        let staff = Staff(host: "127.0.0.1", portBase: portBase, credentials: try await stack.staffCredentials(), timing: Timing(), observer: { request, seconds in
            latencies.record(service: request.service, method: request.method, path: request.path, seconds: seconds)
        })
        print("warming up (one journey of each kind, consumers joining)...")
        for journey in Journeys.anyHour(seed: 1_000_000) { _ = try await journey.run(staff, progress: { _ in }) }
        _ = await stack.quiesce(bootstrap: bootstrap, within: .seconds(30))
        // What the four services spend with nothing to do (the consumers' fetches, the relay's
        // looks), per second, so that the report can say how much of a journey's CPU it is.
        func sample() -> [ServiceName: ProcessSample] {
            Dictionary(uniqueKeysWithValues: ServiceName.allCases.compactMap { s in stack.pid(s.rawValue).flatMap(ProcessSample.read).map { (s, $0) } })
        }
        func cpuSeconds(_ samples: [ServiceName: ProcessSample]) -> Double { samples.values.map(\.cpuSeconds).reduce(0, +) }
        var idle = sample()
        var idleRate: Double?
        if stack.callgrind == nil {
            let (quiet, quietStarted) = (idle, ContinuousClock.now)
            try await Task.sleep(for: .seconds(5))
            idle = sample()
            idleRate = (cpuSeconds(idle) - cpuSeconds(quiet)) / seconds(ContinuousClock.now - quietStarted)
        }
        let windowStarted = ContinuousClock.now
        let before = await scrapeAll(stack)
        latencies.reset()
        // Under callgrind, what each service executes with nothing to do, per second, is
        // measured first and taken off the run's count in proportion to its length.
        var idlePerSecond: [ServiceName: Double] = [:]
        if let callgrind = stack.callgrind {
            let pids = Dictionary(uniqueKeysWithValues: ServiceName.allCases.compactMap { s in stack.pid(s.rawValue).map { (s, $0) } })
            let rates = try await callgrind.idlePerSecond(Array(pids.values), over: .seconds(20))
            idlePerSecond = pids.compactMapValues { rates[$0] }
        }

        let work: [Journey] = (0..<cases).map { i in
            mix == "mix" ? Journeys.anyHour(seed: i)[i % Journeys.anyHour(seed: i).count] : Journey.singleAdult(seed: i)
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

        report(stack, idle: idle, idleRate: idleRate, window: seconds(ContinuousClock.now - windowStarted))
        try instructions(stack, before: before, after: after, latencies: latencies, idlePerSecond: idlePerSecond, window: seconds(ContinuousClock.now - started))
    }

    /// Per journey, each service's instructions (the window from after the warm-up to the
    /// quiet after the run), beside the requests it answered and the events it applied.
    func instructions(_ stack: LocalStack, before: [ServiceName: ServiceMetrics], after: [ServiceName: ServiceMetrics],
                      latencies: EndpointLatencies, idlePerSecond: [ServiceName: Double], window: Double) throws {
        guard let callgrind = stack.callgrind else { return }
        print("\n== Instructions per journey (callgrind, \(cases) journeys, idle taken off) ==")
        print("  service             instructions   requests   events applied   idle instructions/s")
        let requests = latencies.byEndpoint
        var total: UInt64 = 0
        for service in ServiceName.allCases {
            guard let pid = stack.pid(service.rawValue) else { continue }
            let idle = idlePerSecond[service] ?? 0
            let counted = UInt64(max(0, Double(try callgrind.dump(pid)) - idle * window))
            total += counted
            let answered = requests.filter { $0.key.hasPrefix(service.rawValue + " ") }.values.reduce(0) { $0 + $1.count }
            let applied = (after[service]?.total("homeward_events_applied_total") ?? 0) - (before[service]?.total("homeward_events_applied_total") ?? 0)
            print("  \(service.rawValue.padding(toLength: 17, withPad: " ", startingAt: 0)) \(String(format: "%14.0f", Double(counted) / Double(cases))) \(String(format: "%10.1f", Double(answered) / Double(cases))) \(String(format: "%16.1f", applied / Double(cases))) \(String(format: "%21.0f", idle))")
        }
        print("  \("all four".padding(toLength: 17, withPad: " ", startingAt: 0)) \(String(format: "%14.0f", Double(total) / Double(cases)))")
        print("(dumps in \(callgrind.output.path): callgrind_annotate --inclusive=yes <dump> names the top costs)")
    }

    /// The stage bench, once per replica count, each on a fresh broker and data directory
    /// with the same pre-loaded events; a table side by side at the end.
    func singleStage(data directory: URL, executables: URL) async throws {
        let counts = try replicaCounts()
        var rows: [(Int, Double)] = []
        for count in counts {
            let run = directory.appendingPathComponent("replicas-\(count)", isDirectory: true)
            try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
            var environment = quietFetches.merging(restore || failover != nil ? ["STORE_CHANGELOG": "true"] : [:]) { $1 }
            if let failover { environment["STORE_STANDBY_REPLICAS"] = String(failover) }
            let stack = LocalStack(data: run, bin: executables, portBase: portBase, logsToFiles: true,
                                   environment: environment, replicas: [.healthScreening: count], hosts: failover != nil ? count : 1,
                                   callgrind: try counter())
            do {
                rows.append((count, try await singleStage(stack, replicas: count)))
                if restore, count == counts.last { try await lostHost(stack, replicas: count) }
                if let failover, count == counts.last { try await lostOneHost(stack, replicas: count, standby: failover) }
            } catch {
                await stack.stopAll()
                throw error
            }
            await stack.stopAll()
        }
        guard rows.count > 1 else { return }
        print("\n== Health screening by replicas (\(events) events, one data directory\(onePerCore ? ", one core per replica" : "")) ==")
        for (count, rate) in rows {
            print(String(format: "  %d replica%@  %8.0f events/s  %.2fx one replica", count, count == 1 ? " " : "s", rate, rate / rows[0].1))
        }
    }

    func replicaCounts() throws -> [Int] {
        let counts = replicas.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !counts.isEmpty, counts.count == replicas.split(separator: ",").count, counts.allSatisfy({ (1...12).contains($0) }) else {
            throw CommandFailure(description: "--replicas takes replica counts from 1 to 12, comma-separated (1,2,3)")
        }
        if let failover {
            guard (0...8).contains(failover), counts.last! >= 2, !restore else {
                throw CommandFailure(description: "--failover takes 0 to 8 standby copies, a last replica count of 2 or more (one host is lost, another takes over), and not --restore")
            }
        }
        return counts
    }

    /// Events per second from the first apply to the last output acknowledged. The replicas
    /// start first and share the partitions out (a stage scaled, then loaded); then the
    /// events are loaded, the same ones for every replica count.
    func singleStage(_ stack: LocalStack, replicas: Int) async throws -> Double {
        let bootstrap = try await stack.startBroker()
        let service = ServiceName.healthScreening
        let launched = ContinuousClock.now
        try stack.startService(service, bootstrap: bootstrap)
        if onePerCore {
            let cores = ProcessInfo.processInfo.activeProcessorCount
            for replica in 1...replicas {
                guard let pid = stack.pid(LocalStack.childName(service, replica)) else { continue }
                try pin(pid, toCore: (replica - 1) % cores)
            }
        }
        for replica in 1...replicas { try await stack.waitUntilReady(service, replica: replica, deadline: launched.advanced(by: starting)) }
        print("waiting for \(replicas) replica\(replicas == 1 ? "" : "s") to share out the partitions...")
        while true {
            var owned: [Double] = []
            for replica in 1...replicas {
                owned.append(await ServiceMetrics.scrape(port: stack.port(service, replica: replica))?.total("homeward_partitions_owned") ?? 0)
            }
            if owned.reduce(0, +) >= 12, owned.allSatisfy({ $0 > 0 }) || replicas > 12 { break }
            guard ContinuousClock.now - launched < starting + .seconds(30) else { throw CommandFailure(description: "the replicas did not share the partitions out in time") }
            try await Task.sleep(for: .milliseconds(200))
        }
        let replicaPIDs = (1...replicas).compactMap { stack.pid(LocalStack.childName(service, $0)) }
        if let callgrind = stack.callgrind { for pid in replicaPIDs { try callgrind.zero(pid) } }

        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        let producer = try KafkaProducer(config: KafkaConfig(bootstrapServers: bootstrap), logger: logger)
        print("loading \(events) ReadyForScreening events on \(ServiceName.intake.topic)...")
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

        var firstApplied: ContinuousClock.Instant?
        var done: ContinuousClock.Instant?
        var peak = 0
        // Under callgrind a scrape of the metrics costs the stage some 300,000 instructions
        // and lasts long: scraped every 20 ms, it was a tenth of the count per event.
        let pause: Duration = stack.callgrind == nil ? .milliseconds(20) : .milliseconds(250)
        while done == nil {
            try await Task.sleep(for: pause)
            var (applied, produced, backlog, answered) = (0.0, 0.0, 0.0, 0)
            for replica in 1...replicas {
                if let pid = stack.pid(LocalStack.childName(service, replica)), let sample = ProcessSample.read(pid: pid) { peak = max(peak, sample.peakResident) }
                guard let metrics = await ServiceMetrics.scrape(port: stack.port(service, replica: replica)) else { continue }
                answered += 1
                applied += metrics.total("homeward_events_applied_total")
                produced += metrics.total("homeward_events_produced_total")
                backlog += metrics.total("homeward_outbox_backlog")
            }
            if applied > 0, firstApplied == nil { firstApplied = .now }
            if answered == replicas, applied >= Double(events), produced >= Double(events), backlog == 0 { done = .now }
            guard ContinuousClock.now - launched < starting + .seconds(600) else { throw CommandFailure(description: "the stage did not finish in time") }
        }
        let working = seconds(done! - firstApplied!)
        print("\n== Single stage: health screening, \(replicas) replica\(replicas == 1 ? "" : "s") ==")
        print(String(format: "%d events applied and their %d outputs acknowledged in %.2f s from the first apply: %.0f events/s", events, events, working, Double(events) / working))
        print(String(format: "(%.2f s from process start, joining the group and loading included)", seconds(done! - launched)))
        let stores = Set((1...replicas).map { stack.storeDirectory(service, replica: $0).path }).map(storeSize).reduce(0, +)
        print("peak resident \(megabytes(peak)) (largest replica); stores \(megabytes(stores))")
        if let callgrind = stack.callgrind {
            let counted = try replicaPIDs.reduce(UInt64(0)) { $0 + (try callgrind.dump($1)) }
            print(String(format: "instructions per event (callgrind, every replica, from the load to the last acknowledgement): %.0f", Double(counted) / Double(events)))
        }
        return Double(events) / working
    }

    /// The stage's host lost: every replica killed with SIGKILL and the data directory
    /// deleted; one replica started on an empty directory restores the stores from the
    /// changelog. Failover: the kill to the first case answered (its partition restored);
    /// restore: what the replica's metrics say it applied and how long it took.
    func lostHost(_ stack: LocalStack, replicas: Int) async throws {
        let service = ServiceName.healthScreening
        for replica in 1...replicas { await stack.signal(LocalStack.childName(service, replica), SIGKILL) }
        let lost = ContinuousClock.now
        try FileManager.default.removeItem(at: stack.data.appendingPathComponent(service.rawValue))
        try stack.restart(LocalStack.childName(service, 1))
        let credentials = try await stack.staffCredentials()
        let port = stack.port(service, replica: 1)
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/travellers/BENCH-0-T1")!)
        request.setValue(credentials.healthOfficer, forHTTPHeaderField: "Authorization")
        var firstAnswer: ContinuousClock.Instant?
        var refused = 0
        while true {
            if firstAnswer == nil, let (_, response) = try? await URLSession.shared.data(for: request), let status = (response as? HTTPURLResponse)?.statusCode {
                if status == 200 { firstAnswer = .now } else if status == 503 { refused += 1 } else {
                    throw CommandFailure(description: "a restored case answered \(status), not 200 or 503")
                }
            }
            if firstAnswer != nil, let metrics = await ServiceMetrics.scrape(port: port),
               metrics.total("homeward_partitions_owned") >= 12, metrics.total("homeward_changelog_restore_remaining_records") == 0 {
                let done = ContinuousClock.now
                let records = metrics.total("homeward_changelog_restored_records_total")
                let restoring = metrics.total("homeward_changelog_restore_seconds_sum")
                let cases = Double(events)
                print("\n== Host lost: \(replicas) replica\(replicas == 1 ? "" : "s") killed, data directory deleted, one replica restarted ==")
                print(String(format: "failover: %.2f s from the kill to the first case answered (%d answers of 503 while restoring)", seconds(firstAnswer! - lost), refused))
                print(String(format: "restore: %.0f changelog records of %.0f cases in %.2f s of restoring (12 partitions, one after another); %.2f s per 10,000 cases",
                             records, cases, restoring, restoring / cases * 10_000))
                print(String(format: "all 12 partitions owned and restored %.2f s after the kill", seconds(done - lost)))
                return
            }
            guard ContinuousClock.now - lost < .seconds(300) else { throw CommandFailure(description: "the stage was not restored within 5 minutes") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// One of the stage's hosts lost (`--failover`): replica 1 killed with SIGKILL and its
    /// data directory deleted while the others live on. With standby copies, first waits
    /// for the survivors' copies to reach their changelogs. Failover: the kill until a case
    /// of every partition answers through a survivor (eager rebalancing moves every
    /// partition, the survivors' own as well); restore: the records the survivors applied
    /// to take the lost partitions over.
    func lostOneHost(_ stack: LocalStack, replicas: Int, standby: Int) async throws {
        let service = ServiceName.healthScreening
        let survivors = 2...replicas
        func total(_ name: String) async -> Double {
            var sum = 0.0
            for replica in survivors { sum += await ServiceMetrics.scrape(port: stack.port(service, replica: replica))?.total(name) ?? 0 }
            return sum
        }
        if standby > 0 {
            let waited = ContinuousClock.now
            while true {
                let (copies, lag) = (await total("homeward_changelog_standby_partitions"), await total("homeward_changelog_standby_lag_records"))
                if copies > 0, lag == 0 { break }
                guard ContinuousClock.now - waited < .seconds(300) else { throw CommandFailure(description: "the standby copies did not catch up within 5 minutes") }
                try await Task.sleep(for: .milliseconds(100))
            }
            print(String(format: "standby copies: %.0f records applied, current %.2f s after the last output", await total("homeward_changelog_standby_records_total"), seconds(.now - waited)))
        }
        let restoredBefore = await total("homeward_changelog_restored_records_total")
        await stack.signal(LocalStack.childName(service, 1), SIGKILL)
        let lost = ContinuousClock.now
        try FileManager.default.removeItem(at: stack.storeDirectory(service, replica: 1))

        // One case per partition, asked through the survivors in turn.
        var probes: [Int32: String] = [:]
        for i in 0..<events where probes.count < 12 {
            let partition = KafkaPartitioner.partition(ofKey: Array("BENCH-\(i)".utf8), partitions: 12)
            if probes[partition] == nil { probes[partition] = "BENCH-\(i)-T1" }
        }
        let credentials = try await stack.staffCredentials()
        var answered: Set<Int32> = []
        var refused = 0
        var turn = 0
        while answered.count < probes.count {
            for (partition, traveller) in probes.sorted(by: { $0.key < $1.key }) where !answered.contains(partition) {
                turn += 1
                let port = stack.port(service, replica: survivors.lowerBound + turn % survivors.count)
                var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/travellers/\(traveller)")!)
                request.setValue(credentials.healthOfficer, forHTTPHeaderField: "Authorization")
                guard let (_, response) = try? await URLSession.shared.data(for: request), let status = (response as? HTTPURLResponse)?.statusCode else { continue }
                if status == 200 { answered.insert(partition) } else if status == 503 { refused += 1 } else {
                    throw CommandFailure(description: "a case of the lost host answered \(status), not 200 or 503")
                }
            }
            guard ContinuousClock.now - lost < .seconds(300) else { throw CommandFailure(description: "the lost host's cases were not answered within 5 minutes") }
            if answered.count < probes.count { try await Task.sleep(for: .milliseconds(20)) }
        }
        let failedOver = ContinuousClock.now
        let restored = await total("homeward_changelog_restored_records_total") - restoredBefore
        print("\n== One host of \(replicas) lost: replica 1 killed, its data directory deleted, \(standby) standby cop\(standby == 1 ? "y" : "ies") per partition ==")
        print(String(format: "failover: %.2f s from the kill until a case of every partition answered (%d answers of 503 meanwhile)", seconds(failedOver - lost), refused))
        print(String(format: "restore: %.0f changelog records applied by the survivors to take the lost partitions over", restored))
    }

    /// Every thread of `pid` on one core (`taskset -a -p -c`).
    func pin(_ pid: Int32, toCore core: Int) throws {
        let taskset = Process()
        taskset.executableURL = URL(fileURLWithPath: "/usr/bin/taskset")
        taskset.arguments = ["-a", "-p", "-c", String(core), String(pid)]
        taskset.standardOutput = FileHandle.nullDevice
        try taskset.run()
        taskset.waitUntilExit()
        guard taskset.terminationStatus == 0 else { throw CommandFailure(description: "taskset could not pin process \(pid) to core \(core)") }
    }

    func scrapeAll(_ stack: LocalStack) async -> [ServiceName: ServiceMetrics] {
        var result: [ServiceName: ServiceMetrics] = [:]
        for service in ServiceName.allCases { result[service] = await ServiceMetrics.scrape(port: stack.ports[service]!) }
        return result
    }

    /// - Parameters:
    ///   - idleRate: the four services' CPU seconds per second with nothing to do, measured before the run.
    ///   - window: from after that measure to now.
    func report(_ stack: LocalStack, idle: [ServiceName: ProcessSample], idleRate: Double?, window: Double) {
        print("\n== Processes ==")
        print("  service             idle RSS    peak RSS    CPU s    store")
        for service in ServiceName.allCases {
            guard let pid = stack.pid(service.rawValue), let sample = ProcessSample.read(pid: pid) else { continue }
            let store = storeSize(stack.data.appendingPathComponent(service.rawValue).path)
            print("  \(service.rawValue.padding(toLength: 17, withPad: " ", startingAt: 0)) \(megabytes(idle[service]?.resident ?? 0).leftPad(10)) \(megabytes(sample.peakResident).leftPad(11)) \(String(format: "%8.1f", sample.cpuSeconds))  \(megabytes(store).leftPad(9))")
        }
        // The run's own CPU: from after the warm-up to the quiet after the run (idle time in it included).
        let spent = ServiceName.allCases.reduce(0.0) { sum, service in
            guard let pid = stack.pid(service.rawValue), let now = ProcessSample.read(pid: pid), let then = idle[service] else { return sum }
            return sum + now.cpuSeconds - then.cpuSeconds
        }
        print(String(format: "CPU per journey, the four services over the run (start-up and warm-up excluded): %.1f ms", spent / Double(cases) * 1000))
        if let idleRate {
            let idleShare = idleRate * window
            print(String(format: "  of which idle work: %.1f ms (the four services spent %.3f CPU s per s with nothing to do, measured before the run; the window was %.1f s)",
                         idleShare / Double(cases) * 1000, idleRate, window))
        }
    }
}

extension String {
    func leftPad(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
