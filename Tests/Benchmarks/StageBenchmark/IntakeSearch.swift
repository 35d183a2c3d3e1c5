import ArgumentParser
import Foundation
import HomewardAccess
import HomewardJourneys
import HomewardModel
import Kafka
import Logging
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `homeward-bench intake-search`: registers N cases through intake's HTTP API, then times
/// the case list with each filter staff use, as a client sees it (HTTP included).
///
///     swift build -c release --product homeward-bench --product intake
///     .build/release/homeward-bench intake-search --cases 10000
struct IntakeSearch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "intake-search",
        abstract: "Time intake's case search over N registered cases.")

    @Option(help: "Cases to register.")
    var cases = 10_000

    @Option(help: "Requests per query.")
    var repeats = 200

    @Option(help: "Concurrent registrations.")
    var concurrency = 4

    @Option(help: "Run intake under valgrind's callgrind and report its instructions per request: per registration and per request of each query; the dumps stay in this directory. Needs valgrind and the callgrind-preload library (swift build --product callgrind-preload).")
    var callgrind: String?

    func run() async throws {
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        let broker = try EmbeddedBroker(logger: logger)
        for (topic, count) in ServiceName.allTopics(partitions: 12) { try broker.createTopic(TopicSpec(name: topic, partitions: count)) }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("homeward-bench-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let port = 18_000 + Int.random(in: 0..<2_000)
        let key = AccessKeys.generateDevelopmentKey()
        let authorization = "Bearer " + (try await AccessKeys.developmentToken(key: key, subject: "bench", roles: [.caseworker]))
        let executables = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let counter = try callgrind.map { try Callgrind(output: URL(fileURLWithPath: $0, isDirectory: true), executables: executables) }
        let executable = executables.appendingPathComponent("intake")
        let command = try Callgrind.command(under: counter, name: "intake", executable: executable, arguments: [])
        let intake = Process()
        intake.executableURL = command.executable
        intake.arguments = command.arguments
        intake.environment = ProcessInfo.processInfo.environment.merging(command.environment) { $1 }.merging([
            "KAFKA_BOOTSTRAP_SERVERS": broker.bootstrapServers, "STORE_DIRECTORY": directory.appendingPathComponent("intake").path,
            "HTTP_PORT": String(port), "LOG_LEVEL": "warning", "AUTH_DEV_KEY": key.base64EncodedString(),
        ]) { $1 }
        intake.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try intake.run()
        defer { if intake.isRunning { kill(intake.processIdentifier, SIGKILL) } }
        let base = URL(string: "http://127.0.0.1:\(port)")!
        for _ in 0..<(counter == nil ? 300 : 6_000) {  // under valgrind, some fifty times slower
            if (try? await get(base.appendingPathComponent("health/ready"), authorization).0) == 200 { break }
            try await Task.sleep(for: .milliseconds(100))
        }

        // What intake executes with nothing to do (its relay's and Kafka client's timers), per
        // second, is taken off each window's count: under valgrind a window lasts long.
        var idlePerSecond = 0.0
        var windowStart = ContinuousClock.now
        if let counter {
            idlePerSecond = try await counter.idlePerSecond([intake.processIdentifier], over: .seconds(10)).values.first ?? 0
            print(String(format: "idle: %.0f instructions per second, taken off each figure below in proportion to its window", idlePerSecond))
        }
        /// Instructions per request over `requests` since the window opened, idle taken off; opens the next window.
        func perRequest(_ requests: Int) throws -> String {
            guard let counter else { return "" }
            let counted = Double(try counter.dump(intake.processIdentifier))
            let idle = idlePerSecond * seconds(ContinuousClock.now - windowStart)
            try counter.zero(intake.processIdentifier)
            windowStart = .now
            return "  \(Int(max(0, counted - idle) / Double(max(1, requests)))) instructions per request"
        }
        let countries = ["CO", "VE", "HN", "GT", "SV", "MX", "HT", "NG"]
        try counter?.zero(intake.processIdentifier)
        windowStart = .now
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    for i in stride(from: worker, to: cases, by: concurrency) {
                        let body = Self.referral(index: i, country: countries[i % countries.count], abandoned: i % 10 == 0)
                        let status = try await post(base.appendingPathComponent("cases"), body, authorization)
                        guard status == 201 else { throw ValidationError("registration \(i) answered \(status)") }
                    }
                }
            }
            try await group.waitForAll()
        }
        let loading = ContinuousClock.now - start
        print("registered \(cases) cases over HTTP in \(String(format: "%.1f", seconds(loading))) s (\(Int(Double(cases) / seconds(loading))) cases/s, \(concurrency) clients)\(try perRequest(cases))")

        let queries: [(String, [URLQueryItem])] = [
            ("all, newest first", []),
            ("status=not-eligible", [.init(name: "status", value: "not-eligible")]),
            ("returnCountry=HN", [.init(name: "returnCountry", value: "HN")]),
            ("programme=generic-avrr", [.init(name: "programme", value: "generic-avrr")]),
            ("deadlineBefore", [.init(name: "deadlineBefore", value: "2014-03-20T00:00:00.000Z")]),
            ("status=active&returnCountry=CO&limit=200", [.init(name: "status", value: "active"), .init(name: "returnCountry", value: "CO"),
                                                         .init(name: "limit", value: "200")]),
        ]
        // One case by its id, the read staff and journeys make most.
        let (_, page) = try await get(base.appendingPathComponent("cases").appending(queryItems: [.init(name: "limit", value: "1")]), authorization)
        let first = (((try? JSONSerialization.jsonObject(with: page)) as? [String: Any])?["cases"] as? [[String: Any]])?.first?["caseID"] as? String
        print("GET /cases over \(cases) cases, \(repeats) requests each (client-side, HTTP included):")
        _ = try perRequest(1)  // closes the window of the page read above: the reads' own opens
        let reads = queries.map { ($0.0, "cases", $0.1) } + (first.map { [("one case, GET /cases/{id}", "cases/\($0)", [URLQueryItem]())] } ?? [])
        for (name, path, items) in reads {
            var components = URLComponents(url: base.appendingPathComponent(path), resolvingAgainstBaseURL: false)!
            components.queryItems = items.isEmpty ? nil : items
            var times: [Double] = []
            var total = 0
            for _ in 0..<repeats {
                let t0 = ContinuousClock.now
                let (status, data) = try await get(components.url!, authorization)
                times.append(seconds(ContinuousClock.now - t0) * 1000)
                guard status == 200 else { throw ValidationError("\(name) answered \(status)") }
                total = ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any])?["total"] as? Int ?? 0
            }
            times.sort()
            print("  " + name.padding(toLength: 44, withPad: " ", startingAt: 0)
                  + String(format: " matches %5d  p50 %6.2f ms  p95 %6.2f ms  max %6.2f ms", total,
                           times[times.count / 2], times[times.count * 95 / 100], times.last!) + (try perRequest(repeats)))
        }
        kill(intake.processIdentifier, SIGTERM)
        intake.waitUntilExit()
        broker.shutdown()
    }

    static func referral(index: Int, country: String, abandoned: Bool) -> Data {
        let programme = index % 3 == 0 ? "generic-avrr" : "canada-gta-pilot"
        let day = 1 + index % 27
        let text = """
            {"programmeID":"\(programme)","referringAuthority":"CBSA","referredAt":"2014-02-\(String(format: "%02d", day))T15:00:00.000Z",
             "firstContactAt":"2014-02-\(String(format: "%02d", day))T18:00:00.000Z",
             "principal":{"givenName":"Person","familyName":"N\(index)","dateOfBirth":"1980-01-01","sex":"female","nationality":"\(country)",
                          "travelDocumentStatus":"valid"},
             "dependants":[{"givenName":"Child","familyName":"N\(index)","dateOfBirth":"2010-05-05","sex":"male","nationality":"\(country)",
                            "relationship":"child","travelDocumentStatus":"valid"}],
             "returnCountry":"\(country)","currentLocation":{"city":"Toronto","area":"GTA"},
             "immigration":{"finalNegativeDecisionOn":"2014-01-15","leaveApplicationFiled":false,"appealFiled":false,
                            "designatedCountryOfOrigin":false,"claimWithdrawnOrAbandoned":\(abandoned)},
             "consents":[{"purpose":"processing","granted":true}]}
            """
        return Data(text.utf8)
    }

    func post(_ url: URL, _ body: Data, _ authorization: String) async throws -> Int {
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue(authorization, forHTTPHeaderField: "Authorization")
        let (_, response) = try await URLSession.shared.data(for: request)
        return (response as! HTTPURLResponse).statusCode
    }

    func get(_ url: URL, _ authorization: String) async throws -> (Int, Data) {
        var request = URLRequest(url: url)
        request.setValue(authorization, forHTTPHeaderField: "Authorization")
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as! HTTPURLResponse).statusCode, data)
    }

    func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
}
