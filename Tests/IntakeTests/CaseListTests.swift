import Foundation
import Kafka
import TestSupport
import Testing

/// Intake's case list merges every partition store's cases: newest registration first,
/// and a page that follows the previous one's `next` neither skips nor repeats a case while
/// cases are registered.
@Suite("The case list across partition stores", .serialized)
struct CaseListTests {
    @Test func pagesFollowTheCursorWithoutGapsOrRepeatsWhileCasesArrive() async throws {
        let cluster = try TestCluster("intake-list")
        let intake = try await cluster.readyService("intake")
        let cases = intake.baseURL.appendingPathComponent("cases")
        let body = try IntakeFlowTests.encoder.encode(IntakeFixtures.referral())
        func register() async throws -> String {
            let reply = try await HTTP.send("POST", cases, body: body)
            #expect(reply.status == 201, "\(reply.text)")
            return try #require(try reply.json()["caseID"] as? String)
        }
        var registered: [String] = []
        for _ in 0..<23 { registered.append(try await register()) }

        var seen: [String] = []
        var registeredAt: [String] = []
        var after: String?
        var arrivals: [String] = []
        repeat {
            var query = [URLQueryItem(name: "limit", value: "5")]
            if let after { query.append(URLQueryItem(name: "after", value: after)) }
            let reply = try await HTTP.send("GET", cases.appending(queryItems: query))
            let page = try reply.json()
            let items = page["cases"] as? [[String: Any]] ?? []
            // The `Link` header is the same request with `after` set to `next`; none on the last page.
            #expect(reply.headers["link"] == (page["next"] as? String).map { "</cases?limit=5&after=\($0)>; rel=\"next\"" })
            #expect(items.count <= 5)
            seen += items.compactMap { $0["caseID"] as? String }
            registeredAt += items.compactMap { $0["registeredAt"] as? String }
            after = page["next"] as? String
            arrivals.append(try await register())   // newer than every listed case: before the cursor
        } while after != nil
        #expect(Set(seen).count == seen.count, "no case twice")
        #expect(Set(seen) == Set(registered), "every case registered before the first page, and only those")
        #expect(registeredAt == registeredAt.sorted(by: >), "newest registration first across partitions")

        let spread = Set(registered.map { KafkaPartitioner.partition(ofKey: $0.utf8, partitions: 4) })
        #expect(spread.count > 1, "the cases are spread over several partition stores")
        let total = try await HTTP.send("GET", cases).json()["total"] as? Int
        #expect(total == registered.count + arrivals.count)
        let bad = try await HTTP.send("GET", cases.appending(queryItems: [URLQueryItem(name: "after", value: "not a cursor")]))
        #expect(try bad.status == 400 && bad.json()["field"] as? String == "after")
        // One way to page: an offset is not a parameter of any list.
        let offset = try await HTTP.send("GET", cases.appending(queryItems: [URLQueryItem(name: "offset", value: "5")]))
        #expect(try offset.status == 400 && offset.json()["rule"] as? String == "unknown-query-parameter")
        await intake.child.stop()
    }
}
