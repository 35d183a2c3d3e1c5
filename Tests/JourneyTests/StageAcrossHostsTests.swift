import Foundation
import HomewardJourneys
import HomewardModel
import IntakeAPI
import Kafka
import Testing
import TestSupport

/// Every service on three hosts that share nothing but the broker: each host a network
/// namespace (`ip netns`, a veth on one bridge) with its own data directory and its own
/// replica of each service, the embedded broker on a fourth, a gateway (nginx) in front,
/// the changelogs on. Journeys run through the gateway while one host is taken away whole
/// (every process killed, its directory deleted): its partitions move to the other two,
/// which restore them from the changelogs. Then a new empty host joins and takes
/// partitions over. Without root (no namespaces), hosts are directories and ports on
/// loopback; the test is the same.
///
/// Sized for the embedded broker's 5 MiB per partition: four partitions and three
/// journeys write a few hundred kilobytes to each changelog.
@Suite("A stage across hosts", .serialized)
struct StageAcrossHostsTests {
    static let services = ["intake", "health-screening", "travel-booking", "reintegration"]

    /// Where the hosts run, and the broker they share.
    final class Network: @unchecked Sendable {
        let directory: URL
        let namespaces: NetworkHosts?
        private let broker: NamespacedBroker?
        private let cluster: TestCluster?
        let bootstrap: String

        init(_ name: String) async throws {
            if NetworkHosts.available {
                directory = try makeWorkDirectory(name)
                let namespaces = try NetworkHosts()
                self.namespaces = namespaces
                broker = try await NamespacedBroker(in: namespaces, directory: directory)
                bootstrap = broker!.bootstrap
                cluster = nil
            } else {
                cluster = try TestCluster(name)
                directory = cluster!.directory
                bootstrap = cluster!.bootstrap
                namespaces = nil
                broker = nil
            }
        }

        var traffic: EventTraffic { EventTraffic(bootstrap: bootstrap) }
        var kind: String { namespaces == nil ? "loopback" : "network namespaces" }

        /// A new host's namespace and address (nil on loopback), with the broker in reach.
        func place(_ host: String) throws -> (namespace: String, address: String)? {
            guard let namespaces, let broker else { return nil }
            let placed = try namespaces.add(host)
            try broker.reach(from: placed.namespace)
            return placed
        }

        /// Takes a host away: every process killed at once, its namespace and directory gone.
        func takeAway(_ host: Host) async {
            if let namespaces { namespaces.remove(host.name) } else { for process in host.processes { process.child.signal(SIGKILL) } }
            for process in host.processes { _ = await process.child.waitForExit() }
            try? FileManager.default.removeItem(at: host.directory)
        }

        func close() { namespaces?.close() }
    }

    /// One host: a data directory and one replica of every service.
    final class Host: @unchecked Sendable {
        let name: String
        let directory: URL
        let processes: [ServiceProcess]

        init(_ name: String, on network: Network, services: [String] = StageAcrossHostsTests.services, extra: [String: String] = [:]) async throws {
            self.name = name
            let directory = network.directory.appendingPathComponent("host-\(name)")
            self.directory = directory
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let placed = try network.place(name)
            // Every host holds the same store keys: a store restored from the changelog was sealed elsewhere.
            let keys = "k1:" + Data(repeating: 7, count: 32).base64EncodedString()
            let environment = Journeys.requiredEnvironment.merging(["STORE_CHANGELOG": "true", "STORE_KEYS": keys]) { $1 }.merging(extra) { $1 }
            processes = try services.map {
                try ServiceProcess($0, bootstrap: network.bootstrap, directory: directory, extra: environment, host: placed)
            }
            for process in processes { try await process.waitUntilReady() }
        }

        func get(_ service: Int, _ path: String) async throws -> HTTP.Reply {
            try await HTTP.send("GET", URL(string: path, relativeTo: processes[service].baseURL)!)
        }

        /// Partition stores each service's replica here owns, from its metrics.
        func owned() async -> [Double] { await metric("homeward_partitions_owned") }

        /// A metric of each service's replica here, summed over its labels.
        func metric(_ name: String) async -> [Double] {
            var values: [Double] = []
            for process in processes {
                let page = (try? await HTTP.send("GET", process.baseURL.appendingPathComponent("metrics")).text) ?? ""
                values.append(page.split(separator: "\n").filter { $0.hasPrefix(name + " ") || $0.hasPrefix(name + "{") }
                    .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0, +))
            }
            return values
        }

        /// What staff see of a case through this host: intake's and travel's and
        /// reintegration's case, health's traveller.
        func views(of caseID: String) async throws -> [NSDictionary] {
            let intake = try await get(0, "cases/\(caseID)")
            guard intake.status == 200, let traveller = (try intake.json()["travellers"] as? [[String: Any]])?.first?["travellerID"] as? String
            else { throw TestFailure("intake through \(name): \(intake.status) \(intake.text.prefix(300))") }
            var views = [NSDictionary(dictionary: try intake.json())]
            for (service, path) in [(1, "travellers/\(traveller)"), (2, "cases/\(caseID)"), (3, "cases/\(caseID)")] {
                let reply = try await get(service, path)
                guard reply.status == 200 else {
                    throw TestFailure("\(path) of \(StageAcrossHostsTests.services[service]) through \(name): \(reply.status) \(reply.text.prefix(300))")
                }
                views.append(NSDictionary(dictionary: try reply.json()))
            }
            return views
        }

        /// Every case id of intake's case list, read through this host (all pages).
        func listedCases() async throws -> Set<String> {
            let base = processes[0].baseURL
            let items = try await HTTP.allPages(URL(string: "cases?limit=2", relativeTo: base)!, field: "cases", base: base)
            return Set(items.compactMap { $0["caseID"] as? String })
        }

        func stop() async {
            for process in processes { await process.child.stop() }
        }
    }

    /// nginx in front of the hosts, as an office's load balancer: `/<service>/` spread
    /// over every host's replica of the service, a host that does not answer skipped.
    final class Gateway: @unchecked Sendable {
        let port = freePort()
        let directory: URL
        private var process: Process?

        init(directory: URL) {
            self.directory = directory.appendingPathComponent("gateway")
        }

        var base: URL { URL(string: "http://127.0.0.1:\(port)")! }

        /// Starts it in front of `hosts`, or reloads it (SIGHUP) in front of others.
        func serve(_ hosts: [Host]) async throws {
            let nginx = try #require(["/usr/sbin/nginx", "/usr/bin/nginx"].first { FileManager.default.isExecutableFile(atPath: $0) },
                                     "nginx is installed (deploy/local/install-deps.sh)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            var upstreams = ""
            var locations = ""
            for (index, service) in StageAcrossHostsTests.services.enumerated() {
                let servers = hosts.map { host -> String in
                    let url = host.processes[index].baseURL
                    return "        server \(url.host!):\(url.port!) max_fails=1 fail_timeout=5s;\n"
                }.joined(separator: "")
                upstreams += "    upstream \(service.replacingOccurrences(of: "-", with: "_")) {\n\(servers)    }\n"
                locations += """
                        location /\(service)/ {
                            proxy_pass http://\(service.replacingOccurrences(of: "-", with: "_"))/;
                            proxy_connect_timeout 1s;
                            proxy_read_timeout 60s;
                            proxy_set_header X-Forwarded-For $remote_addr;
                        }

                """
            }
            let path = directory.path
            let config = """
                worker_processes 1;
                pid \(path)/nginx.pid;
                error_log stderr warn;
                events { worker_connections 512; }
                http {
                    access_log off;
                    client_body_temp_path \(path)/client-body;
                    proxy_temp_path \(path)/proxy;
                    fastcgi_temp_path \(path)/fastcgi;
                    uwsgi_temp_path \(path)/uwsgi;
                    scgi_temp_path \(path)/scgi;
                \(upstreams)
                    server {
                        listen 127.0.0.1:\(port);
                \(locations)    }
                }

                """
            try config.write(to: directory.appendingPathComponent("nginx.conf"), atomically: true, encoding: .utf8)
            if let process, process.isRunning {
                kill(process.processIdentifier, SIGHUP)
                try await Task.sleep(for: .milliseconds(500))
                return
            }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: nginx)
            process.arguments = ["-p", path, "-c", directory.appendingPathComponent("nginx.conf").path, "-e", "stderr", "-g", "daemon off;"]
            let log = directory.appendingPathComponent("nginx.log")
            try process.appendOutput(to: log)
            try process.run()
            self.process = process
            let up = await eventually(timeout: .seconds(10)) {
                (try? await HTTP.send("GET", self.base.appendingPathComponent("intake/health/live")).status) == 200
            }
            if !up { throw TestFailure("gateway not up: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")") }
        }

        var staff: Staff {
            get async throws {
                Staff(intake: base.appendingPathComponent("intake"), health: base.appendingPathComponent("health-screening"),
                      travel: base.appendingPathComponent("travel-booking"), reintegration: base.appendingPathComponent("reintegration"),
                      credentials: try await TestAccess.staffCredentials())
            }
        }

        /// SIGTERM: the master stops its workers too (SIGKILL would leave them serving).
        func stop() {
            guard let process, process.isRunning else { return }
            kill(process.processIdentifier, SIGTERM)
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning, Date() < deadline { usleep(10_000) }
        }
    }

    /// What a host answers that differs from what was seen, for a failure's message.
    static func differences(_ host: Host, _ cases: [String], _ seen: [String: [NSDictionary]]) async -> String {
        var lines: [String] = []
        for caseID in cases {
            do {
                let views = try await host.views(of: caseID)
                for (index, (view, before)) in zip(views, seen[caseID] ?? []).enumerated() where view != before {
                    let keys = Set(view.allKeys.map { "\($0)" }).union(before.allKeys.map { "\($0)" }).filter {
                        !((view[$0] as? NSObject)?.isEqual(before[$0]) ?? (before[$0] == nil))
                    }
                    lines.append("\(caseID) \(services[index]): \(keys.sorted().map { "\($0): \(String(describing: before[$0]).prefix(300)) -> \(String(describing: view[$0]).prefix(300))" })")
                }
            } catch {
                lines.append("\(caseID): \(error)")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Every case the same through each of `hosts`; what was seen, by case.
    static func sameEverywhere(_ cases: [String], through hosts: [Host], as seen: [String: [NSDictionary]]? = nil,
                               timeout: Duration) async -> [String: [NSDictionary]]? {
        var found: [String: [NSDictionary]] = [:]
        let same = await eventually(timeout: timeout, every: .milliseconds(500)) {
            for caseID in cases {
                var first: [NSDictionary]?
                for host in hosts {
                    guard let views = try? await host.views(of: caseID), views == (first ?? seen?[caseID] ?? views) else { return false }
                    first = views
                }
                found[caseID] = first
            }
            return true
        }
        return same ? found : nil
    }

    @Test(.timeLimit(.minutes(6))) func journeysThroughAGatewayOutliveTheLossOfAHostAndANewHostTakesPartitionsOver() async throws {
        let network = try await Network("across-hosts")
        defer { network.close() }
        let gateway = Gateway(directory: network.directory)
        defer { gateway.stop() }
        var hosts: [Host] = []
        for name in ["a", "b", "c"] { hosts.append(try await Host(name, on: network)) }
        let (a, b, c) = (hosts[0], hosts[1], hosts[2])
        try await gateway.serve(hosts)
        let split = await eventually(timeout: .seconds(60), every: .milliseconds(500)) {
            let owned = [await a.owned(), await b.owned(), await c.owned()]
            return (0..<4).allSatisfy { service in owned.allSatisfy { $0[service] > 0 } && owned.map { $0[service] }.reduce(0, +) == 4 }
        }
        let ownedAtStart = [await a.owned(), await b.owned(), await c.owned()]
        #expect(split, "each service's four partitions spread over the three hosts (\(network.kind)): \(ownedAtStart)")

        // Three journeys through the gateway; host b is taken away while they run.
        let staff = try await gateway.staff
        async let first = Journey.singleAdult(seed: 61).run(staff, progress: { _ in })
        async let second = Journey.singleAdult(seed: 62).run(staff, progress: { _ in })
        async let third = Journey.singleAdult(seed: 63).run(staff, progress: { _ in })
        try await Task.sleep(for: .seconds(4))
        await network.takeAway(b)
        hosts = [a, c]
        try await gateway.serve(hosts)
        let results = try await [first, second, third]
        let cases = results.map(\.caseID)

        // Every record the same through either host left, and the case list merged.
        let seenOrNil = await Self.sameEverywhere(cases, through: [a, c], timeout: .seconds(90))
        let (ownedAfter, differences) = ([await a.owned(), await c.owned()], seenOrNil == nil ? await Self.differences(a, cases, [:]) : "")
        let seen = try #require(seenOrNil, "every record the same through hosts a and c: owned \(ownedAfter); \(differences)")
        // Records can all be readable before every partition of b has a new owner (b's may hold none of these cases).
        let moved = await eventually(timeout: .seconds(60), every: .milliseconds(500)) {
            zip(await a.owned(), await c.owned()).allSatisfy { $0 + $1 == 4 }
        }
        let ownedMoved = [await a.owned(), await c.owned()]
        #expect(moved, "b's partitions moved to a and c: \(ownedMoved)")
        #expect(try await a.listedCases() == Set(cases), "intake's list through host a holds every case")
        #expect(try await c.listedCases() == Set(cases), "and through host c")
        let forwarded = zip(await a.metric("homeward_http_forwarded_total"), await c.metric("homeward_http_forwarded_total")).map { $0 + $1 }
        #expect(forwarded.allSatisfy { $0 > 0 }, "every service sent requests on to another host: \(forwarded)")

        // A new, empty host joins: it takes partitions over, restores them, and answers as before.
        let d = try await Host("d", on: network)
        hosts = [a, c, d]
        try await gateway.serve(hosts)
        let joined = await eventually(timeout: .seconds(60), every: .milliseconds(500)) { await d.owned().allSatisfy { $0 > 0 } }
        let ownedD = await d.owned()
        #expect(joined, "host d owns partitions of every service: \(ownedD)")
        let after = await Self.sameEverywhere(cases, through: [a, c, d], as: seen, timeout: .seconds(60))
        let differencesD = after == nil ? await Self.differences(d, cases, seen) : ""
        #expect(after != nil, "every record as before through hosts a, c and d: \(differencesD)")
        let fourth = try await Journey.singleAdult(seed: 64).run(staff, progress: { _ in })
        #expect(try await d.listedCases() == Set(cases + [fourth.caseID]))
        try await Self.possibleDuplicatesAcrossHosts(staff, through: [a, c, d])

        // Nothing published twice: every event id once on its topic.
        for service in ServiceName.allCases {
            let records = try await network.traffic.readAll(service.topic).compactMap { message -> (String, String)? in
                ((try? JSONSerialization.jsonObject(with: message.value) as? [String: Any])?["id"] as? String).map { ($0, "\(message.partition)@\(message.offset)") }
            }
            #expect(!records.isEmpty)
            let twice = Dictionary(grouping: records, by: \.0).filter { $0.value.count > 1 }.mapValues { $0.map(\.1) }
            #expect(twice.isEmpty, "\(service.topic): \(records.count) events, published more than once: \(twice)")
        }
        for host in hosts { await host.stop() }
    }

    /// One person registered again and again until a case of theirs is in every partition,
    /// so on every host: each registration's answer and each case's possible duplicates,
    /// through any host, name all the others (the case's owner asks the others for their part).
    static func possibleDuplicatesAcrossHosts(_ staff: Staff, through hosts: [Host]) async throws {
        let now = Date()
        let person = TravellerInput(givenName: "Dolores", familyName: "Quispe Mamani", dateOfBirth: LocalDate("1979-03-08")!, sex: .female,
                                    nationality: "PE", travelDocumentStatus: .valid)
        let referral = ReferralRequest(
            programmeID: "generic-avrr", referringAuthority: "IOM", referredAt: now.addingTimeInterval(-7_200), firstContactAt: now.addingTimeInterval(-3_600),
            principal: person, returnCountry: "PE", currentLocation: Location(city: "Toronto", area: "GTA"),
            immigration: ImmigrationFacts(leaveApplicationFiled: false, appealFiled: false, designatedCountryOfOrigin: false, claimWithdrawnOrAbandoned: false))
        var cases: [CaseID] = []
        var partitions: Set<Int32> = []
        while partitions.count < 4, cases.count < 40 {
            let registered = try await staff.intake.register(referral)
            #expect(registered.possibleDuplicates.map(Set.init) == Set(cases), "registration \(cases.count + 1) warns of every earlier one")
            cases.append(registered.caseID)
            partitions.insert(KafkaPartitioner.partition(ofKey: registered.caseID.rawValue.utf8, partitions: 4))
        }
        #expect(partitions.count == 4, "a case in every partition")
        for host in hosts {
            for caseID in cases {
                let reply = try await host.get(0, "cases/\(caseID.rawValue)/possible-duplicates")
                let listed = (try? reply.json()["possibleDuplicates"] as? [String]).map(Set.init)
                #expect(reply.status == 200 && listed == Set(cases.filter { $0 != caseID }.map(\.rawValue)),
                        "\(caseID)'s possible duplicates through host \(host.name): \(reply.status) \(reply.text.prefix(200))")
            }
        }
    }

    /// Health screening on two hosts, each keeping a standby copy of the other's partition
    /// stores (`STORE_STANDBY_REPLICAS=1`): once the copies have caught up, the loss of one
    /// host costs the other no restore at all, and every traveller reads as before.
    @Test(.timeLimit(.minutes(4))) func aStandbyCopyOnAnotherHostMakesAFailoverRestoreNothing() async throws {
        let network = try await Network("standby")
        defer { network.close() }
        let standby = ["STORE_STANDBY_REPLICAS": "1"]
        let a = try await Host("a", on: network, services: ["health-screening"], extra: standby)
        let b = try await Host("b", on: network, services: ["health-screening"], extra: standby)
        let split = await eventually(timeout: .seconds(60), every: .milliseconds(500)) {
            let owned = [await a.owned()[0], await b.owned()[0]]
            return owned.allSatisfy { $0 > 0 } && owned.reduce(0, +) == 4
        }
        #expect(split, "the four partitions split over hosts a and b (\(network.kind))")

        let travellers = 120
        let traffic = network.traffic
        let producer = try traffic.makeProducer()
        try await traffic.send((0..<travellers).map { i in
            CloudEvent(caseID: CaseID("STANDBY-\(i)"), data: ReadyForScreening(travellers: [
                .init(travellerID: TravellerID("STANDBY-\(i)-T1"), ageYears: 20 + i % 50, sex: i % 2 == 0 ? .female : .male)]))
        }, producer: producer)
        await producer.close()

        // Applied, published, and every copy as far as its changelog.
        let caughtUp = await eventually(timeout: .seconds(90), every: .milliseconds(500)) {
            let hosts = [a, b]
            var (applied, backlog, lag, copies) = (0.0, 0.0, 0.0, 0.0)
            for host in hosts {
                applied += await host.metric("homeward_events_applied_total")[0]
                backlog += await host.metric("homeward_outbox_backlog")[0]
                lag += await host.metric("homeward_changelog_standby_lag_records")[0]
                copies += await host.metric("homeward_changelog_standby_partitions")[0]
            }
            let kept = [await a.metric("homeward_changelog_standby_records_total")[0], await b.metric("homeward_changelog_standby_records_total")[0]]
            return applied >= Double(travellers) && backlog == 0 && lag == 0 && copies == 4 && kept.allSatisfy { $0 > 0 }
        }
        let kept = [await a.metric("homeward_changelog_standby_records_total")[0], await b.metric("homeward_changelog_standby_records_total")[0]]
        #expect(caughtUp, "every event applied and published, and each host's copies of the other's 2 partitions current: standby records \(kept)")
        #expect(kept.allSatisfy { $0 > 0 }, "each host applied changelog records to its standby copies: \(kept)")
        // b's own partitions gained travellers: a answers them below with nothing restored,
        // so its copies of them had those records.
        let appliedOnB = await b.metric("homeward_events_applied_total")[0]
        #expect(appliedOnB > 0, "host b applied events to its partitions: \(appliedOnB)")

        let restoredBefore = await a.metric("homeward_changelog_restored_records_total")[0]
        await network.takeAway(b)
        let tookOver = await eventually(timeout: .seconds(60), every: .milliseconds(500)) { await a.owned()[0] == 4 }
        #expect(tookOver, "host a owns all four partitions")
        let restored = await a.metric("homeward_changelog_restored_records_total")[0] - restoredBefore
        #expect(restored == 0, "b's partitions taken over without restoring a record: \(restored)")
        var unreadable: [String] = []
        for i in 0..<travellers {
            let reply = try await a.get(0, "travellers/STANDBY-\(i)-T1")
            if reply.status != 200 { unreadable.append("STANDBY-\(i)-T1: \(reply.status)") }
        }
        #expect(unreadable.isEmpty, "every traveller readable through host a: \(unreadable.prefix(5))")
        await a.stop()
    }
}
