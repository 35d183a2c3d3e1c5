import Foundation
import GRDB
import TestSupport
import Testing

/// An operator upgrades a stack whose services each kept one store (`<service>.sqlite`) to
/// partition stores: each service splits its old store on first start, and staff see every
/// case as before.
@Suite("Upgrading to partition stores", .serialized)
struct StoreSplitTests {
    static let services = ["intake", "health-screening", "travel-booking", "reintegration"]

    @Test func aStoreFromBeforeIsSplitOnFirstStartAndEveryViewStaysTheSame() async throws {
        // The old layout: every case of a service in one store, which is what one partition gives.
        let old = try TestCluster("split-old", partitions: 1)
        var running = try Self.services.map {
            try ServiceProcess($0, bootstrap: old.bootstrap, directory: old.directory, extra: ["KAFKA_TOPIC_PARTITIONS": "1"])
        }
        for service in running { try await service.waitUntilReady() }
        let demo = try ChildProcess("homeward", arguments: [
            "demo", "--intake", running[0].baseURL.absoluteString, "--health", running[1].baseURL.absoluteString,
            "--travel", running[2].baseURL.absoluteString, "--reintegration", running[3].baseURL.absoluteString,
        ], environment: [:], logDirectory: old.directory)
        #expect(await demo.waitForExit(timeout: .seconds(120)) == 0, "\(demo.log)")
        let before = try await Self.views(running)
        #expect(before.count > 20, "the demo's cases, travellers and lists")
        for service in running { await service.child.stop() }

        let legacy = old.directory.appendingPathComponent("legacy")
        try FileManager.default.createDirectory(at: legacy, withIntermediateDirectories: true)
        for (name, service) in zip(Self.services, running) {
            for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: "\(service.storeDirectory)/partition-00.sqlite\(suffix)") {
                try FileManager.default.copyItem(atPath: "\(service.storeDirectory)/partition-00.sqlite\(suffix)",
                                                 toPath: legacy.appendingPathComponent("\(name).sqlite\(suffix)").path)
            }
        }

        // The upgraded services on a cluster of 4 partitions, pointed at the old files, with
        // the same store keys (development keys live in each run's ./data).
        let new = try TestCluster("split-new")
        let keys = new.directory.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: keys, withIntermediateDirectories: true)
        for name in Self.services {
            try FileManager.default.copyItem(at: old.directory.appendingPathComponent("data/\(name).store-key"),
                                             to: keys.appendingPathComponent("\(name).store-key"))
        }
        running = try Self.services.map {
            try ServiceProcess($0, bootstrap: new.bootstrap, directory: new.directory,
                               extra: ["STORE_PATH": legacy.appendingPathComponent("\($0).sqlite").path])
        }
        for service in running { try await service.waitUntilReady() }
        let after = try await Self.views(running)
        #expect(Set(after.keys) == Set(before.keys))
        for (view, answer) in before {
            #expect(after[view]?.status == answer.status, "\(view): status")
            #expect(after[view]?.canonical == answer.canonical, "\(view) differs after the split")
        }
        for (name, service) in zip(Self.services, running) {
            #expect(StoreFiles.partitions(in: service.storeDirectory).count == 4, "\(name): one store per partition")
            #expect(FileManager.default.fileExists(atPath: legacy.appendingPathComponent("\(name).sqlite.pre-partition").path), "\(name): the old file kept")
            #expect(!FileManager.default.fileExists(atPath: legacy.appendingPathComponent("\(name).sqlite").path))
        }
        // Every case is in the partition store of its id, and in no other.
        let intakeStores = try StoreFiles.partitions(in: running[0].storeDirectory).map { try DatabaseQueue(path: $0) }
        var placed: [String: [Int]] = [:]
        for (k, store) in intakeStores.enumerated() {
            for id in try await store.read({ db in try String.fetchAll(db, sql: "SELECT case_id FROM intake_case") }) { placed[id, default: []].append(k) }
        }
        #expect(!placed.isEmpty && placed.values.allSatisfy { $0.count == 1 })
        // The audit trail moved whole, its chain intact.
        let verify = try ChildProcess("homeward", arguments: ["audit", "verify", "intake", "--intake", running[0].baseURL.absoluteString],
                                      environment: [:], logDirectory: new.directory)
        #expect(await verify.waitForExit() == 0 && verify.log.contains("intake: audit trail intact"), "\(verify.log)")

        // A second start finds the layout made and splits nothing again.
        await running[0].child.stop()
        let again = try ServiceProcess("intake", bootstrap: new.bootstrap, directory: new.directory,
                                       extra: ["STORE_PATH": legacy.appendingPathComponent("intake.sqlite").path])
        try await again.waitUntilReady()
        let list = try await HTTP.send("GET", again.baseURL.appendingPathComponent("cases")).json()
        #expect(list["total"] as? Int == (before["intake /cases"]?.json as? [String: Any])?["total"] as? Int)
        await again.child.stop()
        for service in running.dropFirst() { await service.child.stop() }
    }

    struct Answer: Sendable {
        let status: Int
        /// The JSON answer with its keys sorted, to compare.
        let canonical: String
        var json: Any { (try? JSONSerialization.jsonObject(with: Data(canonical.utf8))) ?? [:] }
    }

    /// Every case, traveller and list as staff read them, by service and path.
    static func views(_ services: [ServiceProcess]) async throws -> [String: Answer] {
        var views: [String: Answer] = [:]
        func read(_ service: Int, _ path: String, _ query: [URLQueryItem] = []) async throws -> [String: Any] {
            var url = services[service].baseURL.appendingPathComponent(path)
            if !query.isEmpty { url = url.appending(queryItems: query) }
            let reply = try await HTTP.send("GET", url)
            let json = try JSONSerialization.jsonObject(with: reply.body.isEmpty ? Data("{}".utf8) : reply.body)
            views["\(Self.services[service]) /\(path)\(query.isEmpty ? "" : "?" + query.map { "\($0.name)=\($0.value ?? "")" }.joined(separator: "&"))"] =
                Answer(status: reply.status, canonical: String(decoding: try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]), as: UTF8.self))
            return json as? [String: Any] ?? [:]
        }
        let list = try await read(0, "cases", [URLQueryItem(name: "limit", value: "500")])
        _ = try await read(0, "cases")
        let month = String(ISO8601DateFormatter().string(from: Date()).prefix(7))
        _ = try await read(0, "reports/5w", [URLQueryItem(name: "from", value: month), URLQueryItem(name: "to", value: month)])
        for state in ["due", "overdue", "on-hold"] { _ = try await read(1, "screenings", [URLQueryItem(name: "list", value: state)]) }
        for name in ["open", "awaiting-approval", "visits-due"] { _ = try await read(3, "cases", [URLQueryItem(name: "list", value: name)]) }
        for summary in list["cases"] as? [[String: Any]] ?? [] {
            let id = try #require(summary["caseID"] as? String)
            let view = try await read(0, "cases/\(id)")
            for traveller in view["travellers"] as? [[String: Any]] ?? [] {
                _ = try await read(1, "travellers/\(try #require(traveller["travellerID"] as? String))")
            }
            let travel = try await read(2, "cases/\(id)")
            for booking in travel["bookings"] as? [[String: Any]] ?? [] {
                _ = try await read(2, "bookings/\(try #require(booking["bookingID"] as? String))")
            }
            _ = try await read(3, "cases/\(id)")
        }
        return views
    }
}
