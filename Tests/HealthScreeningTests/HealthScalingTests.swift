import Foundation
import GRDB
import HomewardModel
import Kafka
import TestSupport
import Testing

/// Three replicas of the health-screening executable on one data directory, as
/// `docker compose up --scale health-screening=3` runs them on a shared volume: each owns
/// the partition stores of the partitions Kafka assigns it. One is killed with SIGKILL
/// mid-stream and started again.
@Suite("Scaling health screening", .serialized)
struct HealthScalingTests {
    /// Each case gets its travellers announced one event at a time, in order; each announcement
    /// opens one screening and publishes one `ScreeningOpened`, so the published order per case
    /// must be T1, T2, T3…
    @Test func threeReplicasSplitTheWorkAndOneKilledMidStreamLosesNothing() async throws {
        let cluster = try TestCluster("health-scaling")
        var replicas: [ServiceProcess] = []
        for _ in 0..<3 {
            // Same directory, so the same partition stores; SERVICE_INSTANCE defaults to host and pid.
            let replica = try await cluster.readyService("health-screening")
            replicas.append(replica)
        }
        #expect(Set(replicas.map(\.storeDirectory)).count == 1)
        #expect(StoreFiles.partitions(in: replicas[0].storeDirectory).count == 4, "one store per partition")

        let cases = (0..<60).map { CaseID("SCALE-\($0)") }
        let perCase = 12
        func announcement(_ id: CaseID, _ n: Int) throws -> OutgoingMessage {
            try EventTraffic.message(CloudEvent(caseID: id, data: ReadyForScreening(travellers: [
                .init(travellerID: TravellerID("\(id)-T\(n)"), ageYears: 30, sex: .female)])))
        }
        let producer = try cluster.traffic.makeProducer()
        func send(_ rounds: ClosedRange<Int>) async throws {
            for n in rounds {
                for result in await producer.send(try cases.map { try announcement($0, n) }) { _ = try result.get() }
                try await Task.sleep(for: .milliseconds(150))
            }
        }

        try await send(1...4)
        // Every replica took a share of the partitions and applied some of the work.
        #expect(await eventually { await replicas.asyncMap { await Self.applied($0) }.allSatisfy { $0 > 0 } }, "the work is split three ways")
        let shares = await replicas.asyncMap { await Self.applied($0) }

        let victim = replicas[1]
        async let rest: Void = send(5...perCase)
        try await Task.sleep(for: .milliseconds(300))
        victim.child.signal(SIGKILL)
        _ = await victim.child.waitForExit()
        try await rest
        // Started again on the same stores: it rejoins and takes partitions back.
        let restarted = try await cluster.readyService("health-screening")
        let survivors = [replicas[0], replicas[2], restarted]

        // Nothing lost: every traveller has exactly one screening, in its case's partition store…
        let total = cases.count * perCase
        let stores = try StoreFiles.partitions(in: victim.storeDirectory).map { try DatabasePool(path: $0) }
        func sum(_ sql: String) async throws -> Int {
            var total = 0
            for store in stores { total += try await store.read { db in try Int.fetchOne(db, sql: sql) ?? 0 } }
            return total
        }
        #expect(await eventually(timeout: .seconds(90)) {
            (try? await sum("SELECT COUNT(*) FROM health_screening")) == total
        }, "every announcement applied")
        #expect(try await sum("SELECT COUNT(*) FROM (SELECT traveller_id FROM health_screening GROUP BY traveller_id HAVING COUNT(*) > 1)") == 0,
                "no effect applied twice")
        for (k, store) in stores.enumerated() {
            let misplaced = try await store.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT case_id FROM health_traveller") }
                .filter { KafkaPartitioner.partition(ofKey: $0.utf8, partitions: 4) != k }
            #expect(misplaced.isEmpty, "partition store \(k) holds only its own cases")
        }
        #expect(await eventually(timeout: .seconds(30)) { (try? await sum("SELECT COUNT(*) FROM outbox WHERE published_at IS NULL")) == 0 },
                "every outbox row published")
        // The backlog an operator reads, summed over replicas, says so too: a replica that lost
        // partitions to the restarted one no longer reports their last backlog.
        #expect(await eventually(timeout: .seconds(30)) { await survivors.asyncMap { await Self.metric("homeward_outbox_backlog", $0) } == [0, 0, 0] },
                "the replicas' backlog gauges add up to nothing left")

        // …and on the wire one logical ScreeningOpened per traveller, in per-case order.
        let registry = EventRegistry([ScreeningOpened.self])
        var opened: [ReceivedEvent] = []
        #expect(await eventually(timeout: .seconds(90)) {
            opened = ((try? await cluster.traffic.readAll(ServiceName.healthScreening.topic)) ?? []).compactMap { try? registry.decode($0.value, key: $0.keyString) }
            return Set(opened.map(\.id)).count == total
        }, "every ScreeningOpened published")
        var seen: Set<EventID> = []
        var order: [CaseID: [Int]] = [:]
        for event in opened where seen.insert(event.id).inserted {
            let traveller = (event.payload as! ScreeningOpened).travellerID.rawValue
            order[event.caseID, default: []].append(Int(traveller.split(separator: "T").last!)!)
        }
        #expect(Set(opened.map { ($0.payload as! ScreeningOpened).travellerID }).count == total, "one event per traveller")
        // The killed owner's last publications were found on the topic by its successor and
        // marked, not sent again: every outbox row is on the topic once.
        #expect(opened.count == total, "\(opened.count - total) records published twice")
        for id in cases { #expect(order[id] == Array(1...perCase), "per-case order for \(id)") }

        // A request for a case can go to any replica: all three answer alike.
        let answers = try await survivors.asyncMap { replica in
            try await HTTP.send("GET", replica.baseURL.appendingPathComponent("travellers/SCALE-7-T3")).json()["screenings"] as? [[String: Any]]
        }
        #expect(answers.allSatisfy { $0?.count == 1 })
        // …and any replica changes any case: each records an exam for a traveller of a partition it may not own.
        for (index, replica) in survivors.enumerated() {
            let body = #"{"examinedOn":"2026-11-20","results":{"chest-x-ray":"clear","urinalysis":"normal","hiv":"negative","syphilis":"negative"}}"#
            let exam = try await HTTP.send("POST", replica.baseURL.appendingPathComponent("travellers/SCALE-\(index)-T1/exams"), body: Data(body.utf8))
            #expect(exam.status == 200, "replica \(index) records an exam: \(exam.text)")
        }
        print("shares of the first rounds (applied per replica): \(shares)")

        for replica in survivors { await replica.child.stop() }
        await producer.close()
    }

    static func applied(_ replica: ServiceProcess) async -> Int {
        await metric("homeward_events_applied_total", replica) ?? 0
    }

    /// A metric from the replica's `/metrics`, summed over its labels; nil when it cannot
    /// be read (so that an unreachable replica never reads as "nothing left").
    static func metric(_ name: String, _ replica: ServiceProcess) async -> Int? {
        guard let text = try? await HTTP.send("GET", replica.baseURL.appendingPathComponent("metrics")).text else { return nil }
        return text.split(separator: "\n").filter { $0.hasPrefix(name + "{") || $0.hasPrefix(name + " ") }
            .compactMap { Double($0.split(separator: " ").last ?? "") }.reduce(0) { $0 + Int($1) }
    }
}

extension Array where Element: Sendable {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
