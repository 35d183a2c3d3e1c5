import Foundation
import Testing
import TestSupport

/// What every answer carries, as a client and a proxy see it.
@Suite("Answer headers", .serialized)
struct AnswerHeadersTests {
    @Test func everyAnswerCarriesItsRequestIDAndPersonalAnswersAreNotCached() async throws {
        let cluster = try TestCluster("answer-headers")
        let intake = try await cluster.readyService("intake")
        let base = intake.baseURL

        // The caller's id comes back, on an error too.
        let given = try await HTTP.send("GET", base.appendingPathComponent("cases/HW-000000000000"), headers: ["X-Request-ID": "trace-42"])
        #expect(given.status == 404)
        #expect(given.headers["x-request-id"] == "trace-42")
        #expect(given.headers["cache-control"] == "no-store")
        // Without one, or with one unfit for a log line, the service makes one.
        let listed = try await HTTP.send("GET", base.appendingPathComponent("cases"))
        let made = try #require(listed.headers["x-request-id"])
        #expect(UUID(uuidString: made) != nil && listed.headers["cache-control"] == "no-store")
        let spaced = try await HTTP.send("GET", base.appendingPathComponent("cases"), headers: ["X-Request-ID": "two words"])
        #expect(spaced.headers["x-request-id"].flatMap { UUID(uuidString: $0) } != nil)
        // Refused before anyone is known: still traceable, still not cached.
        let refused = try await HTTP.send("GET", base.appendingPathComponent("cases"), headers: ["Authorization": "Bearer nonsense", "X-Request-ID": "trace-43"])
        #expect(refused.status == 401 && refused.headers["x-request-id"] == "trace-43" && refused.headers["cache-control"] == "no-store")
        // The probes carry no personal data.
        let live = try await HTTP.send("GET", base.appendingPathComponent("health/live"))
        #expect(live.status == 200 && live.headers["x-request-id"] != nil && live.headers["cache-control"] == nil)
        await intake.child.stop()
    }
}
