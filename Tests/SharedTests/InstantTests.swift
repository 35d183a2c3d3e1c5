import Foundation
import HomewardModel
import Testing

/// A client's present, sent as an instant (rounded to the nearest millisecond), is never
/// after the present a service reads just after it: otherwise a request answered within
/// half a millisecond is refused as "in the future".
@Suite("Instants")
struct InstantTests {
    @Test func aClientsPresentIsNeverAfterTheServicesPresentReadAfterIt() throws {
        for _ in 0..<200_000 {
            let sent = try #require(Instant.parse(Instant.format(Date())))
            let now = Instant.now()
            #expect(sent <= now)
            if sent > now { break }
        }
    }

    @Test func thePresentIsAWholeMillisecondAndPrintsBackAsItself() throws {
        let now = Instant.now()
        #expect(Instant.parse(Instant.format(now)) == now)
        #expect(now >= Date().addingTimeInterval(-1))
    }
}
