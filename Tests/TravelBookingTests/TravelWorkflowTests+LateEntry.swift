import Foundation
import HomewardModel
@testable import TravelBooking
import TestSupport
import Testing

/// A late entry returned before it was registered: travel booking never books it, whatever
/// clearances might say (issue 18, item 5).
extension TravelWorkflowTests {
    @Test func aLateEntryIsNeverBookableAndSaysWhy() throws {
        try apply(LateEntryReady(returnedOn: LocalDate("2026-05-02")!, reason: .spontaneousReturn, travellerIDs: TravelFixtures.travellers))
        try clearAll()
        let readiness = try readiness()
        #expect(!readiness.bookable)
        #expect(readiness.reasons.contains("a late entry: the family returned before it was registered"))
        expectProblem("not-bookable") { _ = try propose() }
        let status = try store.read { db in try TravelRepository.facts(of: "C1", in: db)?.status }
        #expect(status == .lateEntry)
    }
}
