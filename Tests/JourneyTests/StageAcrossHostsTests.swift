import Foundation
import HomewardJourneys
import HomewardModel
import Kafka
import Testing
import TestSupport

/// Every service on two hosts that share nothing but the broker: each host its own data
/// directory (its stores) and its own replica of each service, with the changelogs on.
/// Staff work through either host; a request reaches the owner of its case's store
/// wherever it arrives. A host is then lost whole (processes killed, directory deleted):
/// the other restores its partitions from the changelogs; a new empty host joins and
/// takes some over. (Hosts here are directories and ports on loopback.)
@Suite("A stage across hosts", .serialized)
struct StageAcrossHostsTests {
    static let services = ["intake", "health-screening", "travel-booking", "reintegration"]

    /// One host: a directory and one replica of every service.
    final class Host: @unchecked Sendable {
        let name: String
        let directory: URL
        let processes: [ServiceProcess]

        init(_ name: String, cluster: TestCluster) async throws {
            self.name = name
            let directory = cluster.directory.appendingPathComponent(name)
            self.directory = directory
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            // Every host holds the same store keys: a store restored from the changelog was sealed elsewhere.
            let keys = "k1:" + Data(repeating: 7, count: 32).base64EncodedString()
            let environment = Journeys.requiredEnvironment.merging(["STORE_CHANGELOG": "true", "STORE_KEYS": keys]) { $1 }
            processes = try StageAcrossHostsTests.services.map {
                try ServiceProcess($0, bootstrap: cluster.bootstrap, directory: directory, extra: environment)
            }
            for process in processes { try await process.waitUntilReady() }
        }

        var staff: Staff {
            get async throws {
                Staff(intake: processes[0].baseURL, health: processes[1].baseURL, travel: processes[2].baseURL,
                      reintegration: processes[3].baseURL, credentials: try await TestAccess.staffCredentials())
            }
        }

        func get(_ service: Int, _ path: String) async throws -> HTTP.Reply {
            try await HTTP.send("GET", URL(string: path, relativeTo: processes[service].baseURL)!)
        }

        /// Partition stores each service's replica here owns, from its metrics.
        func owned() async -> [Double] { await metric("homeward_partitions_owned") }

        /// A metric without labels of each service's replica here.
        func metric(_ name: String) async -> [Double] {
            var values: [Double] = []
            for process in processes {
                let page = (try? await HTTP.send("GET", process.baseURL.appendingPathComponent("metrics")).text) ?? ""
                values.append(page.split(separator: "\n").first { $0.hasPrefix(name + " ") }
                    .flatMap { $0.split(separator: " ").last.flatMap { Double($0) } } ?? 0)
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
                guard reply.status == 200 else { throw TestFailure("\(path) of \(Self.servicesName(service)) through \(name): \(reply.status) \(reply.text.prefix(300))") }
                views.append(NSDictionary(dictionary: try reply.json()))
            }
            return views
        }

        static func servicesName(_ index: Int) -> String { StageAcrossHostsTests.services[index] }

        /// Every case id of intake's case list, read through this host (all pages).
        func listedCases() async throws -> Set<String> {
            let base = processes[0].baseURL
            let items = try await HTTP.allPages(URL(string: "cases?limit=2", relativeTo: base)!, field: "cases", base: base)
            return Set(items.compactMap { $0["caseID"] as? String })
        }

        func kill() async {
            for process in processes { process.child.signal(SIGKILL) }
            for process in processes { _ = await process.child.waitForExit() }
        }

        func stop() async {
            for process in processes { await process.child.stop() }
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

    @Test func journeysRunThroughEitherHostAndOutliveTheLossOfOneAndTheJoinOfAnother() async throws {
        let cluster = try TestCluster("across-hosts")
        let a = try await Host("host-a", cluster: cluster)
        let b = try await Host("host-b", cluster: cluster)
        var hosts = [a, b]
        defer { Task { [hosts] in for host in hosts { await host.stop() } } }
        let split = await eventually(timeout: .seconds(60), every: .milliseconds(500)) {
            let (ownedA, ownedB) = (await a.owned(), await b.owned())
            return zip(ownedA, ownedB).allSatisfy { $0 > 0 && $1 > 0 && $0 + $1 == 4 }
        }
        let (splitA, splitB) = (await a.owned(), await b.owned())
        #expect(split, "each service's four partitions split over both hosts: \(splitA) and \(splitB)")

        // Staff work through either host: half of each journey's requests reach the other.
        let first = try await SingleAdultJourney(seed: 61).run(try await a.staff, progress: { _ in })
        let second = try await SingleAdultJourney(seed: 62).run(try await b.staff, progress: { _ in })
        let cases = [first.caseID, second.caseID]
        var seen: [String: [NSDictionary]] = [:]
        #expect(await eventually(timeout: .seconds(30), every: .milliseconds(500)) {
            for caseID in cases {
                guard let throughA = try? await a.views(of: caseID), let throughB = try? await b.views(of: caseID), throughA == throughB else { return false }
                seen[caseID] = throughA
            }
            return true
        }, "every record the same through either host")
        let (forwardedA, forwardedB) = (await a.metric("homeward_http_forwarded_total"), await b.metric("homeward_http_forwarded_total"))
        // Each case is owned on one host per service, and was read through both.
        #expect(zip(forwardedA, forwardedB).allSatisfy { $0 + $1 > 0 }, "every service sent requests on: \(forwardedA), \(forwardedB)")
        #expect(try await a.listedCases() == Set(cases), "intake's list through host a merges both hosts' partitions")
        #expect(try await b.listedCases() == Set(cases), "and through host b")

        // Host b is lost whole: a restores b's partitions from the changelogs and answers for them.
        await b.kill()
        try FileManager.default.removeItem(at: b.directory)
        hosts = [a]
        let alone = await eventually(timeout: .seconds(90), every: .milliseconds(500)) {
            for caseID in cases { guard (try? await a.views(of: caseID)) == seen[caseID] else { return false } }
            return await a.owned() == [4, 4, 4, 4]
        }
        let (ownedAlone, differencesAlone) = (await a.owned(), alone ? "" : await Self.differences(a, cases, seen))
        #expect(alone, "every record as it was, through host a alone: owned \(ownedAlone); \(differencesAlone)")
        // (A partition whose copy here was current when it moved needs no restore.)
        #expect(a.processes.contains { $0.child.log.contains("store restored from its changelog") })

        // A new, empty host joins: it takes partitions over, restores them, and answers.
        let c = try await Host("host-c", cluster: cluster)
        hosts = [a, c]
        let joined = await eventually(timeout: .seconds(90), every: .milliseconds(500)) {
            guard await c.owned().allSatisfy({ $0 > 0 }) else { return false }
            for caseID in cases {
                guard (try? await c.views(of: caseID)) == seen[caseID], (try? await a.views(of: caseID)) == seen[caseID] else { return false }
            }
            return true
        }
        let (ownedC, differencesC) = (await c.owned(), joined ? "" : await Self.differences(c, cases, seen))
        #expect(joined, "host c owns partitions of every service and both hosts answer as before: owned \(ownedC); \(differencesC)")
        let third = try await SingleAdultJourney(seed: 63).run(try await c.staff, progress: { _ in })
        #expect(try await a.listedCases() == Set(cases + [third.caseID]))

        // Nothing applied twice, nothing published twice: every event id once on its topic.
        for service in ServiceName.allCases {
            let ids = try await cluster.traffic.readAll(service.topic).compactMap { message in
                (try? JSONSerialization.jsonObject(with: message.value) as? [String: Any])?["id"] as? String
            }
            #expect(!ids.isEmpty && Set(ids).count == ids.count, "\(service.topic): \(ids.count) events, \(Set(ids).count) ids")
        }
        for host in hosts { await host.stop() }
    }
}
