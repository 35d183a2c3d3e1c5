import Foundation
@testable import HomewardJourneys
import Testing

/// The stack's clock as journeys read it from a `Date` header (one-second resolution): a
/// slow answer must not shift the dates journeys write. A fault run once had an answer held
/// seconds by a restarting replica, took the midpoint of the round trip for the server's
/// reading, and dated a delivery 3 s ahead: the service refused it as in the future.
@Suite("The stack's clock")
struct StackClockTests {
    let t0 = Date(timeIntervalSince1970: 1_796_000_000)

    func offset(served: Double, before: Double, after: Double) -> TimeInterval? {
        Staff.clockOffset(served: t0.addingTimeInterval(served), before: t0.addingTimeInterval(before), after: t0.addingTimeInterval(after))
    }

    @Test func aSlowAnswerOnTheSameClockIsNoOffset() {
        // Sent at 0, served at 7 s, answered at 7.1 s: the midpoint said +3.9 s.
        #expect(offset(served: 7, before: 0, after: 7.1) == 0)
        #expect(offset(served: 0, before: 0, after: 0.01) == 0)
        #expect(offset(served: -1, before: 0, after: 0.01) == 0)
    }

    @Test func aShiftedStackIsMeasuredFromAQuickAnswer() throws {
        let day = 86_400.0
        let measured = try #require(offset(served: day, before: 0, after: 0.05))
        #expect(abs(measured - day) <= 1)
        let behind = try #require(offset(served: -day, before: 0, after: 0.05))
        #expect(abs(behind + day) <= 1)
    }

    @Test func aShiftedStackAnsweringSlowlyIsMeasuredAgain() {
        #expect(offset(served: 86_400, before: 0, after: 6) == nil)
    }
}
