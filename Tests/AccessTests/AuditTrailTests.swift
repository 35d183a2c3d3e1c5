import Foundation
import GRDB
import HomewardAccess
import HomewardAudit
import HomewardStore
import Kafka
import Testing
import TestSupport

/// The audit trail as an auditor meets it: every call by whom, from where, with what
/// outcome; exported and verified with one CLI command; a row altered in the store file
/// breaks the verification at that row.
@Suite("Audit trail", .serialized)
struct AuditTrailTests {
    static let referral = Data("""
        {"programmeID":"canada-gta-pilot","referringAuthority":"CBSA","referredAt":"2014-02-03T15:00:00.000Z",
         "firstContactAt":"2014-02-03T18:00:00.000Z",
         "principal":{"givenName":"Amaru","familyName":"Quispe","dateOfBirth":"1980-01-01","sex":"male","nationality":"PE",
                      "travelDocumentStatus":"valid"},
         "returnCountry":"PE","currentLocation":{"city":"Toronto","area":"GTA"},
         "immigration":{"finalNegativeDecisionOn":"2014-01-15","leaveApplicationFiled":false,"appealFiled":false,
                        "designatedCountryOfOrigin":false,"claimWithdrawnOrAbandoned":false},
         "consents":[{"purpose":"processing","granted":true}]}
        """.utf8)

    @Test func everyCallIsAttributedAndAnAlteredRowBreaksTheChainThere() async throws {
        let cluster = try TestCluster("audit")
        let intake = try await cluster.readyService("intake")
        let base = intake.baseURL
        func bearer(_ role: Role, _ who: String, name: String? = nil) async throws -> [String: String] {
            ["Authorization": "Bearer " + (try await TestAccess.token([role], subject: who, name: name))]
        }

        let created = try await HTTP.send("POST", base.appendingPathComponent("cases"), body: Self.referral, headers: try await bearer(.caseworker, "anna"))
        #expect(created.status == 201)
        let caseID = try #require(try created.json()["caseID"] as? String)
        #expect(try await HTTP.send("GET", base.appendingPathComponent("cases/\(caseID)"), headers: try await bearer(.supervisor, "sam", name: "  Sam Okafor ")).status == 200)
        #expect(try await HTTP.send("GET", base.appendingPathComponent("cases/\(caseID)"), headers: try await bearer(.healthOfficer, "hana")).status == 403)
        // Not authenticated: refused before anyone is known, so not an entry.
        #expect(try await HTTP.send("GET", base.appendingPathComponent("cases/\(caseID)"), headers: ["Authorization": "Bearer nonsense"]).status == 401)

        // The case's entries are in the chain of its partition store (intake runs 4 partitions).
        let chain = "partition-0\(KafkaPartitioner.partition(ofKey: caseID.utf8, partitions: 4))"
        let page = try await HTTP.send("GET", base.appendingPathComponent("audit").appending(queryItems: [.init(name: "chain", value: chain)]),
                                       headers: try await bearer(.auditor, "aud"))
        #expect(page.status == 200)
        let entries = try JSONDecoder().decode([AuditEntry].self, from: JSONSerialization.data(withJSONObject: page.json()["entries"] ?? []))
        #expect(entries.map(\.actor) == ["anna", "sam", "hana"])
        #expect(entries.map(\.actorName) == [nil, "Sam Okafor", nil], "the token's display name, beside its subject")
        #expect(entries.map(\.action) == ["POST /cases", "GET /cases/:caseID", "GET /cases/:caseID"])
        #expect(entries.map(\.outcome) == [201, 200, 403])
        #expect(entries.allSatisfy { $0.caseID == caseID && $0.from == "127.0.0.1" })
        #expect(entries.map(\.roles) == [["caseworker"], ["supervisor"], ["health-officer"]])
        // Pages of one: `next` and the `Link` header lead to the same second page.
        let first = try await HTTP.send("GET", base.appendingPathComponent("audit").appending(queryItems: [.init(name: "chain", value: chain), .init(name: "limit", value: "1")]),
                                        headers: try await bearer(.auditor, "aud"))
        #expect(first.status == 200, "\(first.text)")
        let next = try #require(try first.json()["next"] as? String, "\(first.text)")
        let link = try #require(first.headers["link"])
        #expect(link == "</audit?chain=\(chain)&limit=1&after=\(next)>; rel=\"next\"" || link == "</audit?limit=1&chain=\(chain)&after=\(next)>; rel=\"next\"", "\(link)")
        let second = try await HTTP.send("GET", try #require(first.nextPage(from: base)), headers: try await bearer(.auditor, "aud")).json()
        #expect((second["entries"] as? [[String: Any]])?.compactMap { $0["actor"] as? String } == ["sam"])
        // No personal value in the trail.
        let raw = page.text
        #expect(!raw.contains("Quispe") && !raw.contains("Amaru") && !raw.contains("1980-01-01"))

        let verified = try ChildProcess("homeward", arguments: ["audit", "verify", "intake", "--intake", base.absoluteString],
                                        environment: [:], logDirectory: cluster.directory)
        #expect(await verified.waitForExit() == 0)
        // The auditor's three reads are entries too, in the service store's chain.
        #expect(verified.log.contains("intake: audit trail intact, 6 entries in 2 chains"), "\(verified.log)")
        #expect(verified.log.contains("  \(chain): 3 entries") && verified.log.contains("  service: 3 entries"), "\(verified.log)")

        try await Self.filters(base, caseID: caseID, chain: chain, auditor: try await bearer(.auditor, "aud"))
        try await Self.report(caseID, intake: base, in: cluster)

        // Someone with the store file rewrites who read the case.
        let file = try DatabaseQueue(path: "\(intake.storeDirectory)/\(chain).sqlite")
        try await file.write { db in try db.execute(sql: "UPDATE audit_trail SET actor = 'someone-else' WHERE seq = 2") }
        let broken = try ChildProcess("homeward", arguments: ["audit", "verify", "intake", "--intake", base.absoluteString],
                                      environment: [:], logDirectory: cluster.directory)
        #expect(await broken.waitForExit() == 1)
        #expect(broken.log.contains("intake: audit trail BROKEN in chain \(chain) at entry 2: its content does not match its hash"), "\(broken.log)")

        // The same from an export, and a deleted row is caught at the row after it.
        try await file.write { db in try db.execute(sql: "DELETE FROM audit_trail WHERE seq = 2") }
        let export = try ChildProcess("homeward", arguments: ["audit", "export", "intake", "--intake", base.absoluteString],
                                      environment: [:], logDirectory: cluster.directory)
        #expect(await export.waitForExit() == 0)
        let exportFile = cluster.directory.appendingPathComponent("intake-audit.jsonl")
        try export.log.write(to: exportFile, atomically: true, encoding: .utf8)
        let fromFile = try ChildProcess("homeward", arguments: ["audit", "verify", "intake", "--file", exportFile.path],
                                        environment: [:], logDirectory: cluster.directory)
        #expect(await fromFile.waitForExit() == 1)
        #expect(fromFile.log.contains("BROKEN in chain \(chain) at entry 3: expected entry 2 here"), "\(fromFile.log)")
        await intake.child.stop()
    }

    /// Past its retention an entry's content goes (who, what, which case, from where), its
    /// place in the chain stays: the oldest first, never the last, and the chain verifies;
    /// an entry emptied after a kept one breaks it.
    @Test func entriesPastTheirRetentionAreEmptiedOldestFirstAndTheChainStillVerifies() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("audit-prune-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try Store(path: directory.appendingPathComponent("partition-00.sqlite").path)
        // The third written a little earlier than the second, as a replica with a slower clock may.
        let times = ["2020-01-01T00:00:00.000Z", "2020-01-03T00:00:00.000Z", "2020-01-02T00:00:00.000Z", "2026-01-01T00:00:00.000Z", "2026-01-02T00:00:00.000Z"]
        try store.write { db in
            for at in times {
                try AuditTrail.append(at: at, actor: "anna", actorName: "Anna", roles: ["caseworker"], action: "GET /cases/:caseID", path: "/cases/HW-1",
                                      caseID: "HW-1", from: "127.0.0.1", outcome: 200, in: db)
            }
        }
        func trail() throws -> [AuditEntry] { try store.read { db in try AuditTrail.entries(after: 0, limit: 10, in: db) } }
        #expect(try store.write { db in try AuditTrail.prune(before: "2020-01-02T12:00:00.000Z", limit: 1, in: db) } == 1)
        #expect(try store.write { db in try AuditTrail.prune(before: "2020-01-02T12:00:00.000Z", in: db) } == 2, "up to the last entry written before the cutoff")
        var entries = try trail()
        #expect(entries.map(\.pruned) == [true, true, true, false, false])
        #expect(entries[0].actor.isEmpty && entries[0].caseID == nil && entries[0].from.isEmpty && entries[0].actorName == nil && entries[0].at == times[0])
        #expect(try store.read { db in try AuditTrail.entries(matching: .init(caseID: "HW-1"), from: nil, limit: 10, in: db).map(\.seq) } == [4, 5])
        guard case .intact(entries: 5, _) = AuditChain.verify(entries) else { Issue.record("\(AuditChain.verify(entries))"); return }
        var emptiedLate = entries
        emptiedLate[4].action = AuditEntry.prunedAction; emptiedLate[4].actor = ""; emptiedLate[4].path = ""
        #expect(AuditChain.verify(emptiedLate) == .broken(seq: 5, reason: "it was emptied after an entry that was kept: only the oldest are pruned"))
        #expect(try store.write { db in try AuditTrail.prune(before: "2030-01-01T00:00:00.000Z", in: db) } == 1, "never the last entry")
        entries = try trail()
        #expect(entries.map(\.pruned) == [true, true, true, true, false])
        guard case .intact(entries: 5, _) = AuditChain.verify(entries) else { Issue.record("\(AuditChain.verify(entries))"); return }
    }

    /// The filters in one store: a case, an actor, a period, together; in time order, then
    /// `seq`; from a cursor's instant, every entry at it and the first `limit` after it;
    /// each filter read through its index, not the whole trail.
    @Test func aStoreFiltersItsTrailByCaseActorAndPeriodThroughIndexes() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("audit-filter-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try Store(path: directory.appendingPathComponent("partition-00.sqlite").path)
        // Appended out of time order, as replicas whose clocks differ a little may append.
        let rows: [(at: String, actor: String, caseID: String?)] = [
            ("2026-12-07T10:00:00.000Z", "anna", "HW-1"), ("2026-12-07T10:00:02.000Z", "sam", "HW-1"), ("2026-12-07T10:00:01.000Z", "anna", "HW-2"),
            ("2026-12-07T10:00:02.000Z", "anna", "HW-1"), ("2026-12-07T10:00:03.000Z", "anna", nil),
        ]
        try store.write { db in
            for row in rows {
                try AuditTrail.append(at: row.at, actor: row.actor, roles: ["caseworker"], action: "GET /cases/:caseID", path: "/cases/x", caseID: row.caseID,
                                      from: "127.0.0.1", outcome: 200, in: db)
            }
        }
        func seqs(_ filter: AuditTrail.Filter, from start: String? = nil, limit: Int = 10) throws -> [Int64] {
            try store.read { db in try AuditTrail.entries(matching: filter, from: start, limit: limit, in: db).map(\.seq) }
        }
        #expect(try seqs(.init(caseID: "HW-1")) == [1, 2, 4])
        #expect(try seqs(.init(actor: "anna")) == [1, 3, 4, 5])
        #expect(try seqs(.init(caseID: "HW-1", actor: "anna")) == [1, 4])
        #expect(try seqs(.init(from: "2026-12-07T10:00:01.000Z", to: "2026-12-07T10:00:03.000Z")) == [3, 2, 4], "from included, to excluded")
        #expect(try seqs(.init(caseID: "HW-9")) == [])
        #expect(try seqs(.init(actor: "anna"), limit: 2) == [1, 3])
        #expect(try seqs(.init(actor: "anna"), from: "2026-12-07T10:00:02.000Z", limit: 1) == [4, 5])
        #expect(try seqs(.init(caseID: "HW-1"), from: "2026-12-07T10:00:01.000Z", limit: 1) == [2])
        // The statements the filters run, as SQLite plans them.
        for (conditions, index) in [("case_id = ? AND at > ?", "audit_trail_case_at"), ("actor = ? AND at >= ? AND at > ?", "audit_trail_actor_at"),
                                    ("at >= ? AND at < ? AND 1", "audit_trail_at"), ("case_id = ? AND actor = ? AND at = ?", "audit_trail_")] {
            let plan = try store.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT * FROM audit_trail WHERE \(conditions) ORDER BY at, seq LIMIT 10",
                                 arguments: StatementArguments(Array(repeating: "x", count: conditions.filter { $0 == "?" }.count)))
                    .map { $0["detail"] as String }.joined(separator: "; ")
            }
            #expect(plan.contains("SEARCH audit_trail USING INDEX \(index)") && !plan.contains("SCAN") && !plan.contains("TEMP B-TREE"), "\(conditions): \(plan)")
        }
    }

    /// `GET /audit` filtered by case, actor and period, on the service of the test above: the
    /// entries of every chain in time order, paged, and bad values refused by name.
    static func filters(_ base: URL, caseID: String, chain: String, auditor: [String: String]) async throws {
        func audit(_ items: [(String, String)]) async throws -> HTTP.Reply {
            try await HTTP.send("GET", base.appendingPathComponent("audit").appending(queryItems: items.map { URLQueryItem(name: $0.0, value: $0.1) }),
                                headers: auditor)
        }
        func entries(_ reply: HTTP.Reply) throws -> [AuditEntry] {
            try JSONDecoder().decode([AuditEntry].self, from: JSONSerialization.data(withJSONObject: reply.json()["entries"] ?? []))
        }
        // The case's entries, from its partition's chain, each naming it; the auditor's
        // filtered read is in the case's trail from then on.
        let byCase = try await audit([("case", caseID)])
        #expect(byCase.status == 200, "\(byCase.text)")
        let touched = try entries(byCase)
        #expect(touched.map(\.actor) == ["anna", "sam", "hana"])
        #expect(touched.allSatisfy { $0.chain == chain && $0.caseID == caseID })
        #expect(try byCase.json()["chain"] == nil && (try byCase.json()["chains"] as? [String])?.count == 5)
        let again = try entries(try await audit([("case", caseID)]))
        #expect(again.map(\.actor) == ["anna", "sam", "hana", "aud"] && again.last?.action == "GET /audit" && again.last?.path == "/audit", "\(again)")
        // An actor's entries across chains in time order: the three unfiltered reads in the
        // service's chain, the two filtered ones in the case's.
        let byActor = try entries(try await audit([("actor", "aud")]))
        #expect(byActor.count == 5 && byActor.allSatisfy { $0.actor == "aud" && $0.action == "GET /audit" }, "\(byActor)")
        #expect(byActor.map(\.chain) == ["service", "service", "service", chain, chain], "\(byActor.map(\.chain))")
        #expect(zip(byActor, byActor.dropFirst()).allSatisfy { $0.at <= $1.at })
        // Together: sam's entry on the case; the period from sam's entry to hana's (hana's excluded).
        #expect(try entries(try await audit([("case", caseID), ("actor", "sam")])).map(\.actor) == ["sam"])
        #expect(try entries(try await audit([("case", caseID), ("from", touched[1].at), ("to", touched[2].at)])).map(\.actor) == ["sam"])
        let later = try entries(try await audit([("from", touched[2].at), ("actor", "hana")]))
        #expect(later.map(\.outcome) == [403])
        // Pages of two across chains, by their `Link`: every entry once, in time order, the
        // paging's own reads at the end (each page read is an entry of the case).
        var paged: [AuditEntry] = []
        var target: URL? = base.appendingPathComponent("audit").appending(queryItems: [.init(name: "case", value: caseID), .init(name: "limit", value: "2")])
        while let url = target, paged.count < 100 {
            let reply = try await HTTP.send("GET", url, headers: auditor)
            #expect(reply.status == 200, "\(reply.text)")
            paged += try entries(reply)
            target = reply.nextPage(from: base)
        }
        #expect(Array(paged.prefix(again.count)) == Array(again), "\(paged)")
        #expect(Set(paged.map(\.seq)).count == paged.count && paged.count < 100, "\(paged.count) entries paged")
        // Bad values: 400 naming the parameter and what it takes (`WzNd` is the cursor of an unfiltered page).
        for (items, field) in [([("case", "Quispe")], "case"), ([("actor", "")], "actor"), ([("from", "yesterday")], "from"),
                               ([("from", touched[2].at), ("to", touched[0].at)], "to"), ([("case", caseID), ("chain", chain)], "chain"),
                               ([("case", caseID), ("after", "WzNd")], "after"), ([("who", "aud")], "who")] {
            let refused = try await audit(items)
            #expect(refused.status == 400, "\(items): \(refused.text)")
            #expect(try refused.json()["field"] as? String == field, "\(items): \(refused.text)")
            #expect(try refused.json()["rule"] as? String == (field == "who" ? "unknown-query-parameter" : "invalid-query"), "\(refused.text)")
            #expect(!refused.text.contains("Quispe"), "the value sent is never echoed")
        }
    }

    /// `homeward audit report` with intake alone answering: intake's entries of the case in
    /// one timeline, and the three services that did not answer named (the report is
    /// incomplete, exit 1); the same as JSON.
    static func report(_ caseID: String, intake base: URL, in cluster: TestCluster) async throws {
        let elsewhere = ["--health", "http://127.0.0.1:\(freePort())", "--travel", "http://127.0.0.1:\(freePort())",
                         "--reintegration", "http://127.0.0.1:\(freePort())"]
        let text = try ChildProcess("homeward", arguments: ["audit", "report", caseID, "--intake", base.absoluteString] + elsewhere,
                                    environment: [:], logDirectory: cluster.directory)
        #expect(await text.waitForExit() == 1)
        let log = text.log
        let lines = log.split(separator: "\n").filter { $0.hasPrefix("  20") }
        #expect(log.contains("Case \(caseID): \(lines.count) audit entries in 1 of 4 services (INCOMPLETE: health-screening, reintegration, travel-booking did not answer)"),
                "\(log)")
        // The three calls on the case, then the auditor's filtered reads (the test above).
        #expect(lines.count > 5 && lines.dropFirst(3).allSatisfy { $0.contains("aud ") && $0.contains("GET /audit") }, "\(log)")
        #expect(lines.first.map { $0.contains("intake") && $0.contains("anna") && $0.contains("caseworker") && $0.contains("POST /cases") && $0.hasSuffix("201") } == true, "\(log)")
        #expect(lines.contains { $0.contains("sam (Sam Okafor)") && $0.contains("GET /cases/:caseID") && $0.hasSuffix("200") }, "\(log)")
        #expect(lines.contains { $0.contains("hana") && $0.hasSuffix("403") }, "\(log)")
        #expect(log.contains("  MISSING travel-booking: travel-booking is not answering"), "\(log)")
        #expect(!log.contains("Quispe") && !log.contains("Amaru"))

        let json = try ChildProcess("homeward", arguments: ["audit", "report", caseID, "--json", "--intake", base.absoluteString] + elsewhere,
                                    environment: [:], logDirectory: cluster.directory)
        #expect(await json.waitForExit() == 1)
        let line = try #require(json.log.split(separator: "\n").first { $0.hasPrefix("{") }, "\(json.log)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(document["caseID"] as? String == caseID && document["complete"] as? Bool == false)
        #expect((document["missing"] as? [String: Any]).map { Set($0.keys) } == ["health-screening", "travel-booking", "reintegration"])
        let reported = document["entries"] as? [[String: Any]] ?? []
        // The text report's own request is in the case's trail now.
        #expect(reported.count == lines.count + 1 && reported.allSatisfy { $0["service"] as? String == "intake" }, "\(reported)")
        #expect((reported.last?["entry"] as? [String: Any])?["action"] as? String == "GET /audit")
    }

    /// Who acted is the token's subject, never a name in the body; a change and the entry
    /// recording it commit together: when the entry cannot be written, nothing changed.
    @Test func theActorComesFromTheTokenAndTheEntryCommitsWithTheChange() async throws {
        let cluster = try TestCluster("audit-tx")
        let intake = try await cluster.readyService("intake")
        let base = intake.baseURL
        let anna = ["Authorization": "Bearer " + (try await TestAccess.token([.caseworker], subject: "anna"))]
        let created = try await HTTP.send("POST", base.appendingPathComponent("cases"), body: Self.referral, headers: anna)
        #expect(created.status == 201)
        let caseID = try #require(try created.json()["caseID"] as? String)
        let declaration = base.appendingPathComponent("cases/\(caseID)/declaration")
        // The pilot's declaration needs a counselling session first.
        let counselled = try await HTTP.send("POST", base.appendingPathComponent("cases/\(caseID)/counselling"), body: Data(
            #"{"mode":"phone","language":"qu","interpreter":true,"topics":["voluntariness"],"outcome":"wishes-to-return"}"#.utf8), headers: anna)
        #expect(counselled.status == 200)
        let signed = try await DocumentSamples.upload(base, case: caseID, kind: "signed-declaration", content: DocumentSamples.pdf(), headers: anna)
        #expect(signed.status == 201)

        // A body that names the actor is refused, and names the field.
        let named = try await HTTP.send("POST", declaration, body: Data(#"{"recordedBy":"somebody-else"}"#.utf8), headers: anna)
        #expect(named.status == 422)
        #expect(try named.json()["rule"] as? String == "actor-from-token")
        #expect(try named.json()["field"] as? String == "/recordedBy")

        // The audit trail of the case's store cannot be written: the change is not made either.
        let chain = "partition-0\(KafkaPartitioner.partition(ofKey: caseID.utf8, partitions: 4))"
        let file = try DatabaseQueue(path: "\(intake.storeDirectory)/\(chain).sqlite")
        // Events only: changelog rows leave the outbox once published.
        func count(_ sql: String) async throws -> Int { try await file.read { db in try Int.fetchOne(db, sql: sql) ?? 0 } }
        let outboxBefore = try await count("SELECT COUNT(*) FROM outbox WHERE topic NOT LIKE '%.changelog'")
        try await file.write { db in
            try db.execute(sql: "CREATE TRIGGER audit_jammed BEFORE INSERT ON audit_trail BEGIN SELECT RAISE(ABORT, 'jammed'); END")
        }
        let jammed = try await HTTP.send("POST", declaration, body: Data("{}".utf8), headers: anna)
        #expect(jammed.status == 503, "\(jammed.text)")
        let unchanged = try await HTTP.send("GET", base.appendingPathComponent("cases/\(caseID)"), headers: anna)
        #expect(unchanged.status == 503, "no entry for the read either, so no data")
        #expect(try await count("SELECT COUNT(*) FROM outbox WHERE topic NOT LIKE '%.changelog'") == outboxBefore, "no event of a change that did not happen")
        try await file.write { db in try db.execute(sql: "DROP TRIGGER audit_jammed") }
        let view = try await HTTP.send("GET", base.appendingPathComponent("cases/\(caseID)"), headers: anna).json()
        #expect(view["declaration"] == nil || view["declaration"] is NSNull, "the declaration was not recorded")

        // Written again: the change, its event and its entry, who made it from the token.
        let declared = try await HTTP.send("POST", declaration, body: Data("{}".utf8), headers: anna)
        #expect(declared.status == 200)
        #expect((try declared.json()["declaration"] as? [String: Any])?["recordedBy"] as? String == "anna")
        #expect(try await count("SELECT COUNT(*) FROM outbox WHERE topic NOT LIKE '%.changelog'") > outboxBefore)
        let page = try await HTTP.send("GET", base.appendingPathComponent("audit").appending(queryItems: [.init(name: "chain", value: chain)]),
                                       headers: ["Authorization": "Bearer " + (try await TestAccess.token([.auditor], subject: "aud"))])
        let entries = try JSONDecoder().decode([AuditEntry].self, from: JSONSerialization.data(withJSONObject: page.json()["entries"] ?? []))
        // The jammed write and read left no entry, as they left no change and gave no data.
        #expect(entries.map(\.action) == ["POST /cases", "POST /cases/:caseID/counselling", "POST /cases/:caseID/documents", "POST /cases/:caseID/declaration",
                                          "GET /cases/:caseID", "POST /cases/:caseID/declaration"])
        #expect(entries.map(\.outcome) == [201, 200, 201, 422, 200, 200])
        #expect(entries.allSatisfy { $0.actor == "anna" && $0.caseID == caseID })
        await intake.child.stop()
    }
}
