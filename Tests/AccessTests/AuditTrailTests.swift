import Foundation
import GRDB
import HomewardAccess
import HomewardAudit
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
