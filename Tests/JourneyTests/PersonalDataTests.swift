import Foundation
import HomewardJourneys
import HomewardModel
import HomewardStore
import Kafka
import TestSupport
import Testing
@testable import HealthScreening
@testable import Intake
@testable import Reintegration
@testable import TravelBooking

/// Personal data at rest, against the four real services on the embedded broker: sealed
/// in every store after a full journey, a key rotation that loses nothing, an erasure that
/// leaves no personal value in any store, view or log, and retention that erases by itself.
@Suite("Personal data: sealed at rest, rotated, erased", .serialized)
struct PersonalDataTests {
    static let services = ["intake", "health-screening", "travel-booking", "reintegration"]
    static func key(_ byte: UInt8) -> String { Data(repeating: byte, count: 32).base64EncodedString() }

    /// The four services on one broker and one directory; restarted with other settings,
    /// they keep their stores.
    final class Stack: @unchecked Sendable {
        let cluster: TestCluster
        private(set) var processes: [ServiceProcess] = []
        /// Every process started, for their logs.
        private(set) var all: [ServiceProcess] = []

        init(_ name: String) throws {
            cluster = try TestCluster(name)
        }

        func start(_ extra: [String: String]) async throws {
            processes = try Self.servicesEnvironment(extra).map { name, env in
                try ServiceProcess(name, bootstrap: cluster.bootstrap, directory: cluster.directory, extra: env)
            }
            all += processes
            for process in processes { try await process.waitUntilReady() }
        }

        static func servicesEnvironment(_ extra: [String: String]) -> [(String, [String: String])] {
            PersonalDataTests.services.map { ($0, Journeys.requiredEnvironment.merging(extra) { $1 }) }
        }

        func stop() async {
            for process in processes { await process.child.stop() }
        }

        var staff: Staff {
            get async throws {
                Staff(intake: processes[0].baseURL, health: processes[1].baseURL, travel: processes[2].baseURL, reintegration: processes[3].baseURL,
                      credentials: try await TestAccess.staffCredentials())
            }
        }

        func get(_ service: Int, _ path: String) async throws -> HTTP.Reply {
            try await HTTP.send("GET", URL(string: path, relativeTo: processes[service].baseURL)!)
        }

        /// Each store's main file and write-ahead log, as bytes on disk.
        func rawStores() throws -> [(String, Data)] {
            try PersonalDataTests.services.flatMap { name -> [(String, Data)] in
                try StoreFiles.all(in: cluster.directory.appendingPathComponent(name).path).flatMap { path in
                    try [path, path + "-wal"].compactMap { file in
                        FileManager.default.fileExists(atPath: file) ? (file, try Data(contentsOf: URL(fileURLWithPath: file))) : nil
                    }
                }
            }
        }

        var logs: [(String, String)] { all.map { ($0.child.logURL.lastPathComponent, $0.child.log) } }

        /// `homeward ARGUMENTS` against the four services (`unreachable` at a port nobody
        /// answers), signed with the tests' development key.
        func homeward(_ arguments: [String], unreachable: String? = nil) throws -> ChildProcess {
            let urls = zip(["--intake", "--health", "--travel", "--reintegration"], processes).flatMap { flag, process -> [String] in
                [flag, flag == unreachable ? "http://127.0.0.1:9" : process.baseURL.absoluteString]
            }
            return try ChildProcess("homeward", arguments: arguments + urls, environment: [:], logDirectory: cluster.directory)
        }

        /// `homeward subject-export CASE`, its exit status and the file it wrote.
        func subjectExport(_ caseID: String, unreachable: String? = nil) async throws -> (Int32, [String: Any], Data) {
            let file = cluster.directory.appendingPathComponent("subject-export-\(UUID().uuidString.prefix(8)).json")
            let command = try homeward(["subject-export", caseID, "--output", file.path], unreachable: unreachable)
            let status = await command.waitForExit()
            let data = try Data(contentsOf: file)
            #expect(try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int == 0o600, "the export is its owner's alone")
            return (status, try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(command.log)"), data)
        }
    }

    /// What a full journey recorded about its person, read back through the services' APIs.
    struct Recorded {
        var caseID: String
        var travellerID: String
        var values: [String]
        var intake: [String: Any]
        var health: [String: Any]
        var reintegration: [String: Any]
    }

    static func recorded(_ result: JourneyResult, in stack: Stack) async throws -> Recorded {
        let intake = try await stack.get(0, "cases/\(result.caseID)").json()
        let traveller = try #require((intake["travellers"] as? [[String: Any]])?.first)
        let travellerID = try #require(traveller["travellerID"] as? String)
        let health = try await stack.get(1, "travellers/\(travellerID)").json()
        let reintegration = try await stack.get(3, "cases/\(result.caseID)").json()
        var values = ["givenName", "familyName", "dateOfBirth"].compactMap { traveller[$0] as? String }
        let exams = (health["screenings"] as? [[String: Any]] ?? []).flatMap { $0["exams"] as? [[String: Any]] ?? [] }
        values += exams.flatMap { exam in ((exam["results"] as? [String: String]) ?? [:]).values + [exam["notes"] as? String].compactMap { $0 } }
        let plan = reintegration["plan"] as? [String: Any] ?? [:]
        values += (plan["items"] as? [[String: Any]] ?? []).compactMap { $0["description"] as? String }
        values += (reintegration["ledger"] as? [[String: Any]] ?? []).compactMap { $0["delivered"] as? String }
        values.append("assessed with the family at the partner's office")  // the journey's assessment summaries
        #expect(values.count >= 8, "names, date of birth, results, notes, plan and deliveries: \(values.count)")
        return Recorded(caseID: result.caseID, travellerID: travellerID, values: Array(Set(values)).sorted(), intake: intake, health: health,
                        reintegration: reintegration)
    }

    /// The values found in clear in `text`, each with where.
    static func found(_ values: [String], in sources: [(String, Data)]) -> [String] {
        sources.flatMap { name, data in values.filter { data.range(of: Data($0.utf8)) != nil }.map { "\($0) in \(name)" } }
    }

    // MARK: Sealed, then rotated

    @Test func afterAFullJourneyNoStoreHoldsAPersonalValueInClearAndARotatedKeyLosesNothing() async throws {
        let stack = try Stack("sealed")
        defer { Task { await stack.stop() } }
        let k1 = ["STORE_KEYS": "k1:\(Self.key(1))"]
        try await stack.start(k1)
        let result = try await Journey.singleAdult(seed: 41).run(stack.staff, progress: { _ in })
        let before = try await Self.recorded(result, in: stack)
        await stack.stop()

        // Every store file and its write-ahead log, as bytes: none of the person's values.
        let raw = try stack.rawStores()
        #expect(raw.count >= 4)
        #expect(Self.found(before.values, in: raw).isEmpty, "in clear: \(Self.found(before.values, in: raw))")
        #expect(raw.contains { $0.1.range(of: Data("v2.k1.".utf8)) != nil }, "sealed values name their key")
        #expect(!Self.found(["Ciudad de México", result.caseID], in: raw).isEmpty, "the scan reads the files: what is meant to be clear is found")

        // A new key, active, with the old one kept: the sweep re-seals everything.
        try await stack.start(["STORE_KEYS": "k2:\(Self.key(2)),k1:\(Self.key(1))", "STORE_KEY_ACTIVE": "k2"])
        for process in stack.processes {
            let swept = await eventually(timeout: .seconds(60)) { process.child.log.contains("rotation complete: every sealed value is under key k2") }
            #expect(swept, "\(process.executable): \(process.child.log.suffix(2000))")
        }
        #expect(stack.processes[0].child.log.contains("re-sealed"), "intake re-sealed its rows")
        // As an operator retiring a key does: the changelog rows the re-sealing wrote are
        // published (they hold the values sealed at the moment of each change).
        for process in stack.processes {
            let published = await eventually(timeout: .seconds(60), every: .milliseconds(500)) {
                guard let text = try? await HTTP.send("GET", process.baseURL.appendingPathComponent("metrics")).text else { return false }
                return Self.metric("homeward_partitions_owned", in: text) == 4 && Self.metric("homeward_outbox_backlog", in: text) == 0
            }
            #expect(published, "\(process.executable): every partition owned, nothing left to publish")
        }
        await stack.stop()

        // Only the new key: nothing is under k1 any more, and every view is as it was.
        try await stack.start(["STORE_KEYS": "k2:\(Self.key(2))"])
        #expect(!(try stack.rawStores()).contains { $0.1.range(of: Data("v2.k1.".utf8)) != nil }, "no value left under k1")
        let after = try await Self.recorded(result, in: stack)
        #expect(after.values == before.values)
        #expect(NSDictionary(dictionary: after.intake) == NSDictionary(dictionary: before.intake), "intake's case view")
        #expect(NSDictionary(dictionary: after.health) == NSDictionary(dictionary: before.health), "health's traveller record")
        #expect(NSDictionary(dictionary: after.reintegration) == NSDictionary(dictionary: before.reintegration), "reintegration's case view")

        // Search by the keyed hashes, recomputed under the new key; accents and case ignored.
        let traveller = try #require((before.intake["travellers"] as? [[String: Any]])?.first)
        let family = try #require(traveller["familyName"] as? String), born = try #require(traveller["dateOfBirth"] as? String)
        let folded = family.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).uppercased()
        var query = URLComponents(string: "cases")!
        query.queryItems = [URLQueryItem(name: "familyName", value: folded), URLQueryItem(name: "dateOfBirth", value: born)]
        let found = try await stack.get(0, query.string!).json()
        #expect((found["cases"] as? [[String: Any]])?.compactMap { $0["caseID"] as? String } == [result.caseID], "\(found)")
        query.queryItems = [URLQueryItem(name: "familyName", value: family), URLQueryItem(name: "dateOfBirth", value: "1900-01-01")]
        #expect(try await stack.get(0, query.string!).json()["total"] as? Int == 0)

        // The data-protection officer's subject export, under the new key: every sealed
        // column of every service's store, opened, and the request in every audit trail.
        let (status, export, bytes) = try await stack.subjectExport(result.caseID)
        let requestedBy = try #require(export["requestedBy"] as? String, "who asked, from the token")
        #expect(status == 0 && export["complete"] as? Bool == true, "\(export.keys)")
        let parts = try #require(export["services"] as? [String: [String: Any]])
        #expect(Set(parts.keys) == Set(Self.services))
        #expect(Self.unexported(in: parts).isEmpty, "sealed columns missing from the export: \(Self.unexported(in: parts))")
        let exported = Self.found(after.values, in: [("export", bytes)])
        #expect(exported.count == after.values.count, "opened: \(exported), of \(after.values)")
        #expect(bytes.range(of: Data("v2.k".utf8)) == nil, "no value left sealed")
        for (index, service) in Self.services.enumerated() {
            let entries = try await stack.get(index, "audit?case=\(result.caseID)&limit=5000").json()["entries"] as? [[String: Any]] ?? []
            #expect(entries.contains { $0["action"] as? String == "GET /cases/:caseID/subject-export" && $0["path"] as? String == "/cases/\(result.caseID)/subject-export"
                && $0["caseID"] as? String == result.caseID && $0["actor"] as? String == requestedBy && $0["outcome"] as? Int == 200 }, "\(service) audited the export")
        }
        await stack.stop()
    }

    /// Every service's sealed columns (its schema's list) that the export's parts lack: a
    /// table without its section, a row without the column. A document's bytes are there by
    /// reference: each document record names the path of its bytes.
    static func unexported(in parts: [String: [String: Any]]) -> [String] {
        let sealed: [(String, [SealedColumn])] = [("intake", IntakeSchema.sealedColumns), ("health-screening", HealthSchema.sealedColumns),
                                                  ("travel-booking", TravelSchema.sealedColumns), ("reintegration", ReintegrationSchema.sealedColumns)]
        return sealed.flatMap { service, columns in
            let tables = parts[service]?["tables"] as? [String: [[String: Any]]] ?? [:]
            return columns.filter { column in
                if column.isBlob {
                    return tables["document"]?.allSatisfy { ($0["content"] as? String)?.hasSuffix("/documents/\($0["document_id"] as? String ?? "-")") == true } != true
                }
                return tables[column.table].map { rows in rows.contains { $0[column.column] == nil } } ?? true
            }.map { "\(service) \($0.label)" }
        }
    }

    // MARK: The changelog

    /// Every service's data directory lost at once, as with a host's disk: each store comes
    /// back from its changelog, where personal values travel sealed.
    @Test func storesLostWithTheirDiskComeBackFromTheChangelogWhereNoPersonalValueIsInClear() async throws {
        let stack = try Stack("changelog")
        defer { Task { await stack.stop() } }
        let keys = ["STORE_KEYS": "k1:\(Self.key(1))", "STORE_CHANGELOG": "true"]
        try await stack.start(keys)
        let result = try await Journey.singleAdult(seed: 44).run(stack.staff, progress: { _ in })
        let before = try await Self.recorded(result, in: stack)
        let audit = try await stack.get(0, "audit?chain=\(Self.chain(of: result.caseID))&limit=5000").json()
        await stack.stop()

        var records: [(String, Data)] = []
        for service in ServiceName.allCases {
            for record in try await stack.cluster.traffic.readAll(service.changelogTopic) {
                records.append(("\(service.changelogTopic) \(record.keyString ?? "")", record.value))
            }
        }
        #expect(records.count > 100, "\(records.count) changelog records")
        #expect(Self.found(before.values, in: records).isEmpty, "in clear: \(Self.found(before.values, in: records))")
        #expect(records.contains { $0.1.range(of: Data("v2.k1.".utf8)) != nil }, "sealed values travel sealed")

        for service in Self.services {
            try FileManager.default.removeItem(atPath: stack.cluster.directory.appendingPathComponent(service).path)
        }
        try await stack.start(keys)
        let back = await eventually(timeout: .seconds(60), every: .milliseconds(500)) {
            guard let intake = try? await stack.get(0, "cases/\(result.caseID)").json(),
                  let health = try? await stack.get(1, "travellers/\(before.travellerID)").json(),
                  let reintegration = try? await stack.get(3, "cases/\(result.caseID)").json() else { return false }
            return NSDictionary(dictionary: intake) == NSDictionary(dictionary: before.intake)
                && NSDictionary(dictionary: health) == NSDictionary(dictionary: before.health)
                && NSDictionary(dictionary: reintegration) == NSDictionary(dictionary: before.reintegration)
        }
        #expect(back, "intake's case, health's traveller and reintegration's case as they were")
        for process in stack.processes {
            #expect(process.child.log.contains("store restored from its changelog"), "\(process.executable): \(process.child.log.suffix(1500))")
        }
        // The audit chain as it was, hashes and all, and the reads since appended to it.
        let entries = try #require(audit["entries"] as? [[String: Any]])
        let entriesAfter = try #require(try await stack.get(0, "audit?chain=\(Self.chain(of: result.caseID))&limit=5000").json()["entries"] as? [[String: Any]])
        #expect(entries.count >= 3 && entriesAfter.count > entries.count, "\(entries.count) entries, then \(entriesAfter.count)")
        #expect(zip(entries, entriesAfter).allSatisfy { NSDictionary(dictionary: $0) == NSDictionary(dictionary: $1) }, "the audit chain, hashes and all")

        // The restored stores work on: a second journey runs through them to its end.
        _ = try await Journey.singleAdult(seed: 45).run(stack.staff, progress: { _ in })
    }

    /// The sum of a metric over its label sets, from a Prometheus page.
    static func metric(_ name: String, in page: String) -> Double {
        page.split(separator: "\n").filter { $0.hasPrefix(name + " ") || $0.hasPrefix(name + "{") }
            .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0, +)
    }

    /// The audit chain of a case's partition store (four partitions in these tests).
    static func chain(of caseID: String) -> String {
        let k = KafkaPartitioner.partition(ofKey: caseID.utf8, partitions: 4)
        return "partition-0\(k)"
    }

    // MARK: Erasure

    @Test func anErasedCaseLeavesNoPersonalValueInAnyStoreViewOrLogAndTheReportStillCountsThePerson() async throws {
        let stack = try Stack("erasure")
        defer { Task { await stack.stop() } }
        try await stack.start(["STORE_CHANGELOG": "true"])
        let result = try await Journey.singleAdult(seed: 43).run(stack.staff, progress: { _ in })
        let recorded = try await Self.recorded(result, in: stack)
        let month = String(ISO8601DateFormatter().string(from: Date()).prefix(7))
        let report = try await stack.get(0, "reports/5w?from=\(month)&to=\(month)").json()
        #expect((report["rows"] as? [Any])?.isEmpty == false, "\(report)")

        // An active case is refused; this one is closed.
        let erasure = try await HTTP.send("POST", stack.processes[0].baseURL.appendingPathComponent("cases/\(result.caseID)/erasure"),
                                          body: Data(#"{}"#.utf8))
        #expect(erasure.status == 200, "\(erasure.text)")
        let view = try erasure.json()
        #expect(view["erased"] as? Bool == true && view["erasureReason"] as? String == "request")
        #expect(view["erasureAwaitedFrom"] as? [String] == ["health-screening", "travel-booking", "reintegration"], "none confirmed yet")
        #expect(view["status"] as? String == "closed" && view["returnCountry"] as? String == "MX")
        let steps = (view["timeline"] as? [[String: Any]] ?? []).compactMap { $0["step"] as? String }
        #expect(steps.first == "registered" && steps.contains("departed") && steps.contains("closed") && steps.last == "personal-data-erased", "\(steps)")
        let traveller = try #require((view["travellers"] as? [[String: Any]])?.first)
        #expect(traveller["givenName"] == nil && traveller["dateOfBirth"] == nil && traveller["sex"] != nil)

        // Every service applies intake's event and erases its own.
        let applied = await eventually(timeout: .seconds(60)) {
            let health = try? await stack.get(1, "travellers/\(recorded.travellerID)").json()
            let travel = try? await stack.get(2, "cases/\(result.caseID)").json()
            let reintegration = try? await stack.get(3, "cases/\(result.caseID)").json()
            let items = ((reintegration?["plan"] as? [String: Any])?["items"] as? [[String: Any]]) ?? []
            return health?["status"] as? String == "erased" && travel?["status"] as? String == "erased"
                && !items.isEmpty && items.allSatisfy { $0["description"] == nil }
        }
        #expect(applied, "health, travel and reintegration erased the case")
        // Each confirms it, and intake shows who has: no erasure left unconfirmed.
        var confirmedSteps = 0
        let confirmed = await eventually(timeout: .seconds(30)) {
            guard let view = try? await stack.get(0, "cases/\(result.caseID)").json() else { return false }
            confirmedSteps = (view["timeline"] as? [Any])?.count ?? 0
            return view["erasureConfirmedBy"] as? [String] == ["health-screening", "travel-booking", "reintegration"]
                && view["erasureAwaitedFrom"] as? [String] == []
        }
        #expect(confirmed, "the three services confirmed the erasure")
        let unconfirmed = try await stack.get(0, "cases?erasure=unconfirmed").json()
        #expect(!((unconfirmed["cases"] as? [[String: Any]]) ?? []).contains { $0["caseID"] as? String == result.caseID }, "\(unconfirmed)")

        // Through every service's API: no personal value.
        var answers: [(String, Data)] = []
        for (service, path) in [(0, "cases/\(result.caseID)"), (1, "travellers/\(recorded.travellerID)"), (2, "cases/\(result.caseID)"),
                                (3, "cases/\(result.caseID)")] {
            let reply = try await stack.get(service, path)
            #expect(reply.status == 200, "\(path)")
            answers.append(("\(Self.services[service]) \(path)", reply.body))
        }
        #expect(Self.found(recorded.values, in: answers).isEmpty, "\(Self.found(recorded.values, in: answers))")
        let exams = ((try await stack.get(1, "travellers/\(recorded.travellerID)").json()["screenings"] as? [[String: Any]]) ?? [])
            .flatMap { $0["exams"] as? [[String: Any]] ?? [] }
        #expect(exams.isEmpty, "the exams are gone")

        // The 5W report counts the person as before.
        #expect(NSDictionary(dictionary: try await stack.get(0, "reports/5w?from=\(month)&to=\(month)").json()) == NSDictionary(dictionary: report))

        // Repeating the request changes nothing; a search by name no longer finds the case.
        let again = try await HTTP.send("POST", stack.processes[0].baseURL.appendingPathComponent("cases/\(result.caseID)/erasure"),
                                        body: Data(#"{}"#.utf8))
        let againSteps = (try again.json()["timeline"] as? [Any])?.count
        #expect(again.status == 200 && againSteps == confirmedSteps)
        let name = try #require((recorded.intake["travellers"] as? [[String: Any]])?.first?["familyName"] as? String)
        var query = URLComponents(string: "cases")!
        query.queryItems = [URLQueryItem(name: "familyName", value: name)]
        let search = try await stack.get(0, query.string!).json()
        #expect(!((search["cases"] as? [[String: Any]]) ?? []).contains { $0["caseID"] as? String == result.caseID })

        // Every service's audit trail: who touched the case, never what it holds.
        var trails: [(String, Data)] = []
        for service in 0..<4 {
            for chain in ["service", "partition-00", "partition-01", "partition-02", "partition-03"] {
                trails.append(("\(Self.services[service]) audit \(chain)", try await stack.get(service, "audit?chain=\(chain)&limit=5000").body))
            }
        }
        for service in Self.services {
            #expect(trails.contains { $0.0.hasPrefix(service + " ") && $0.1.range(of: Data(result.caseID.utf8)) != nil }, "\(service)'s trail names the case")
        }
        #expect(Self.found(recorded.values, in: trails).isEmpty, "\(Self.found(recorded.values, in: trails))")
        // The auditor's report of the case: every service's part in one timeline, no personal value.
        let auditReport = try stack.homeward(["audit", "report", result.caseID, "--json"])
        #expect(await auditReport.waitForExit() == 0, "\(auditReport.log)")
        let reportLine = try #require(auditReport.log.split(separator: "\n").first { $0.hasPrefix("{") }, "\(auditReport.log)")
        let reported = try #require(try JSONSerialization.jsonObject(with: Data(reportLine.utf8)) as? [String: Any])
        let reportedEntries = reported["entries"] as? [[String: Any]] ?? []
        #expect(reported["complete"] as? Bool == true && Set(reportedEntries.compactMap { $0["service"] as? String }) == Set(Self.services), "\(auditReport.log)")
        let times = reportedEntries.compactMap { ($0["entry"] as? [String: Any])?["at"] as? String }
        #expect(times.count == reportedEntries.count && times == times.sorted(), "one timeline, oldest first")
        #expect(Self.found(recorded.values, in: [("audit report", Data(auditReport.log.utf8))]).isEmpty)
        // The subject export of the erased case: what is left, and when each service erased it.
        let (status, export, bytes) = try await stack.subjectExport(result.caseID)
        let parts = export["services"] as? [String: [String: Any]] ?? [:]
        #expect(status == 0 && Set(parts.keys) == Set(Self.services) && parts.values.allSatisfy { $0["erasedAt"] is String }, "\(parts)")
        #expect(Self.found(recorded.values, in: [("export", bytes)]).isEmpty, "\(Self.found(recorded.values, in: [("export", bytes)]))")
        let exportedSteps = ((parts["intake"]?["tables"] as? [String: Any])?["intake_timeline"] as? [[String: Any]] ?? []).compactMap { $0["step"] as? String }
        #expect(exportedSteps.first == "registered" && exportedSteps.contains("departed") && exportedSteps.contains("personal-data-erased"),
                "the timeline's steps are left: \(exportedSteps)")
        // A service that does not answer: named, the export incomplete, exit 1.
        let (partial, incomplete, _) = try await stack.subjectExport(result.caseID, unreachable: "--travel")
        #expect(partial == 1 && incomplete["complete"] as? Bool == false && (incomplete["missing"] as? [String: String])?.keys.sorted() == ["travel-booking"])
        #expect((incomplete["services"] as? [String: Any])?.keys.sorted() == ["health-screening", "intake", "reintegration"])
        await stack.stop()

        // Every store's bytes and every service's log.
        let raw = try stack.rawStores()
        #expect(Self.found(recorded.values, in: raw).isEmpty, "\(Self.found(recorded.values, in: raw))")

        // What compaction keeps of the changelogs, the latest record of each row: the case's
        // rows that held sealed personal values hold none now (deleted, or emptied).
        var sealedOnce: Set<String> = []
        var latest: [String: Data] = [:]
        for service in ServiceName.allCases {
            for record in try await stack.cluster.traffic.readAll(service.changelogTopic) {
                let key = "\(service.rawValue) \(record.keyString ?? "")"
                latest[key] = record.value
                if record.value.range(of: Data(result.caseID.utf8)) != nil || key.contains(result.caseID), record.value.range(of: Data("v2.".utf8)) != nil {
                    sealedOnce.insert(key)
                }
            }
        }
        #expect(sealedOnce.count >= 4, "\(sealedOnce.sorted())")
        let stillSealed = sealedOnce.filter { latest[$0]?.range(of: Data("v2.".utf8)) != nil }.sorted()
        #expect(stillSealed.isEmpty, "rows of the erased case whose latest changelog record still holds a sealed value: \(stillSealed)")
        let logs = stack.logs.map { ($0.0, Data($0.1.utf8)) }
        #expect(logs.count == 4 && logs.allSatisfy { !$0.1.isEmpty })
        #expect(Self.found(recorded.values, in: logs).isEmpty, "\(Self.found(recorded.values, in: logs))")
    }

    @Test func anActiveCaseIsNotErasedAndRetentionErasesAnEndedCaseByItself() async throws {
        let stack = try Stack("retention")
        defer { Task { await stack.stop() } }
        // 0.0003 days is 26 s: long enough for the journey to check its end state first.
        try await stack.start(["RETENTION_DAYS_AFTER_CLOSURE": "0.0003", "RETENTION_SWEEP_SECONDS": "1"])
        let result = try await Journey.revocation(seed: 45).run(stack.staff, progress: { _ in })
        let intake = stack.processes[0].baseURL
        let revoked = try await stack.get(0, "cases/\(result.caseID)").json()
        #expect(revoked["status"] as? String == "revoked" && revoked["erased"] as? Bool == false)

        let erased = await eventually(timeout: .seconds(90), every: .milliseconds(500)) {
            (try? await stack.get(0, "cases/\(result.caseID)").json())?["erased"] as? Bool == true
        }
        #expect(erased, "the retention sweep erased the revoked case")
        let view = try await stack.get(0, "cases/\(result.caseID)").json()
        #expect(view["erasureReason"] as? String == "retention" && view["status"] as? String == "revoked")
        let travellers = view["travellers"] as? [[String: Any]] ?? []
        #expect(travellers.count == 2 && travellers.allSatisfy { $0["familyName"] == nil && $0["sex"] as? String == "male" })
        let travel = await eventually(timeout: .seconds(60)) {
            (try? await stack.get(2, "cases/\(result.caseID)").json())?["status"] as? String == "erased"
        }
        #expect(travel, "travel booking applied the erasure")
        #expect(stack.processes[0].child.log.contains("retention: erased the personal data of"))

        // A case still active is refused, and stays as it was.
        let active = try await HTTP.send("POST", intake.appendingPathComponent("cases"), body: try Self.referral(),
                                         headers: ["Idempotency-Key": "retention-active-\(UUID())"])
        #expect(active.status == 201, "\(active.text)")
        let caseID = try #require(try active.json()["caseID"] as? String)
        let refused = try await HTTP.send("POST", intake.appendingPathComponent("cases/\(caseID)/erasure"), body: Data(#"{}"#.utf8))
        let rule = try refused.json()["rule"] as? String
        #expect(refused.status == 409 && rule == "case-active", "\(refused.text)")
        #expect(try await stack.get(0, "cases/\(caseID)").json()["erased"] as? Bool == false)
        await stack.stop()
    }

    /// A referral under the generic programme, registered now.
    static func referral() throws -> Data {
        let now = Date()
        let format = ISO8601DateFormatter()
        let body: [String: Any] = [
            "programmeID": "generic-avrr", "referringAuthority": "CBSA",
            "referredAt": format.string(from: now.addingTimeInterval(-86_400)), "firstContactAt": format.string(from: now.addingTimeInterval(-3_600)),
            "principal": ["givenName": "Ilona", "familyName": "Kovács", "dateOfBirth": "1979-05-06", "sex": "female", "nationality": "HU",
                          "travelDocumentStatus": "valid"],
            "returnCountry": "HU", "currentLocation": ["city": "Toronto", "area": "GTA"],
            "immigration": ["leaveApplicationFiled": false, "appealFiled": false, "designatedCountryOfOrigin": false, "claimWithdrawnOrAbandoned": false],
            
        ]
        return try JSONSerialization.data(withJSONObject: body)
    }

    // MARK: Nothing personal in what operators see

    @Test func noPersonalValueInLogsMetricsErrorAnswersOrDeadLetterHeaders() async throws {
        let stack = try Stack("leaks")
        defer { Task { await stack.stop() } }
        try await stack.start([:])
        let result = try await Journey.singleAdult(seed: 47).run(stack.staff, progress: { _ in })
        let recorded = try await Self.recorded(result, in: stack)
        let traveller = try #require((recorded.intake["travellers"] as? [[String: Any]])?.first)
        let name = try #require(traveller["familyName"] as? String), given = try #require(traveller["givenName"] as? String)
        let born = try #require(traveller["dateOfBirth"] as? String)
        let note = try #require(recorded.values.first { $0.contains(" ") && $0 != name && $0 != given } )

        // Error answers to requests that carry personal values in the wrong places.
        let bodies: [(Int, String, String, String)] = [
            (0, "POST", "cases", #"{"programmeID":"canada-gta-pilot","principal":{"givenName":"\#(given)","familyName":"\#(name)","dateOfBirth":"\#(born)T99"}}"#),
            (0, "POST", "cases", #"{"programmeID":"canada-gta-pilot","principal":{"givenName":["\#(given)"],"familyName":"\#(name)","dateOfBirth":"\#(born)"}}"#),
            (0, "PATCH", "cases/\(result.caseID)", #"{"currentLocation":"\#(name) \#(born)"}"#),
            (0, "PATCH", "cases/\(result.caseID)/travellers/\(recorded.travellerID)", #"{"dateOfBirth":"\#(name) \#(born)"}"#),
            (0, "POST", "cases/\(result.caseID)/consents", #"{"purpose":"\#(name)","granted":true}"#),
            (1, "POST", "travellers/\(recorded.travellerID)/exams", #"{"examinedOn":"\#(note)","results":{"tb":["\#(note)"]}}"#),
            (1, "POST", "travellers/\(recorded.travellerID)/fitness", #"{"outcome":"\#(note)"}"#),
            (2, "PUT", "cases/\(result.caseID)/travellers/\(recorded.travellerID)/document", #"{"travelDocumentStatus":"\#(name)"}"#),
            (3, "POST", "cases/\(result.caseID)/visits", #"{"visitedOn":"\#(born)x","notes":"\#(note)"}"#),
            (0, "POST", "cases", "{\"principal\": \"\(name)"),
        ]
        var answers: [(String, Data)] = []
        for (service, method, path, body) in bodies {
            let reply = try await HTTP.send(method, stack.processes[service].baseURL.appendingPathComponent(path), body: Data(body.utf8))
            #expect((400..<500).contains(reply.status), "\(method) \(path) answered \(reply.status)")
            answers.append(("\(method) \(path) → \(reply.status)", reply.body))
        }
        #expect(Self.found([name, given, born, note], in: answers).isEmpty, "\(Self.found([name, given, born, note], in: answers))")

        // Poison events with personal values on intake's topic: each consumer dead-letters them.
        let traffic = stack.cluster.traffic
        let producer = try traffic.makeProducer()
        let poison = [
            #"{"specversion":"1.0","id":"poison-1","source":"/intake","type":"intake.ready-for-screening","subject":"\#(result.caseID)","time":"\#(name) \#(born)","datacontenttype":"application/json","data":{}}"#,
            #"{"specversion":"1.0","id":"poison-2","source":"/intake","type":"intake.ready-for-screening","subject":"\#(result.caseID)","time":"2026-11-22T10:00:00.000Z","datacontenttype":"application/json","data":{"travellers":"\#(given) \#(name)","declaredAt":"\#(born)"}}"#,
            "\(given) \(name) \(born) is not JSON",
        ]
        for value in poison {
            _ = try await producer.send(OutgoingMessage(topic: ServiceName.intake.topic, key: result.caseID, value: Data(value.utf8)))
        }
        var headers: [(String, Data)] = []
        for service in [ServiceName.healthScreening, .travelBooking, .reintegration] {
            let arrived = await eventually(timeout: .seconds(60)) {
                ((try? await traffic.readAll(service.deadLetterTopic)) ?? []).count >= poison.count
            }
            #expect(arrived, "\(service.rawValue) dead-lettered the poison")
            for message in try await traffic.readAll(service.deadLetterTopic) {
                #expect(!message.headers.isEmpty, "provenance travels in headers")
                headers += message.headers.map { ("\(service.deadLetterTopic) header \($0.name)", $0.value) }
            }
        }
        #expect(Self.found([name, given, born], in: headers).isEmpty, "\(Self.found([name, given, born], in: headers))")

        // Metrics (labels and values) of every service.
        var metrics: [(String, Data)] = []
        for process in stack.processes {
            metrics.append(("\(process.executable) /metrics", try await HTTP.send("GET", process.baseURL.appendingPathComponent("metrics")).body))
        }
        #expect(Self.found(recorded.values + [name, given, born], in: metrics).isEmpty)

        // Every log line of every service, the journey's and the poison's included.
        await stack.stop()
        let logs = stack.logs.map { ($0.0, Data($0.1.utf8)) }
        #expect(logs.count == 4 && logs.allSatisfy { !$0.1.isEmpty })
        #expect(Self.found(recorded.values + [name, given, born], in: logs).isEmpty, "\(Self.found(recorded.values + [name, given, born], in: logs))")
    }
}
