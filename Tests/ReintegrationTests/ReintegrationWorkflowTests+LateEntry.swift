import Foundation
import HomewardModel
import HomewardRuntime
@testable import Reintegration
import ReintegrationAPI
import TestSupport
import Testing

/// A late entry: the family returned before it was registered, so the case arrives on the
/// day of return and opens once the budget is known, with no booking (issue 18, item 5).
extension ReintegrationWorkflowTests {
    static let lateEntry = LateEntryReady(returnedOn: LocalDate("2026-08-10")!, reason: .otherProgramme, travellerIDs: ["C1-T1"])
    static let lateEntryAt = Instant.parse("2026-08-20T14:00:00.000Z")!

    @Test func aLateEntryOpensOnTheDayOfReturnOnceEligible() throws {
        try eligible()
        try apply(Self.lateEntry, at: Self.lateEntryAt)
        let shown = try view()
        #expect(shown.status == "open")
        #expect(shown.lateEntry == .otherProgramme)
        #expect(shown.arrivedAt == Instant.parse("2026-08-10T00:00:00.000Z"))
        #expect(shown.openedAt == Self.lateEntryAt, "opened when intake said so, after the return")
        #expect(shown.expectedArrival == nil)
        let opened = try events().compactMap { $0.payload(as: ReintegrationOpened.self) }
        #expect(opened == [ReintegrationOpened(budget: Self.budget)])
    }

    @Test func aLateEntryBeforeTheDecisionWaitsForTheBudget() throws {
        try apply(Self.lateEntry, at: Self.lateEntryAt)
        #expect(try view().status == "pending")
        try eligible()
        #expect(try view().status == "open")
        #expect(try events().count == 1)
    }

    @Test func aWithdrawnLateEntryNeverOpens() throws {
        try eligible()
        try apply(CaseWithdrawn(), at: Self.lateEntryAt)
        try apply(Self.lateEntry, at: Self.lateEntryAt)
        #expect(try view().status != "open")
        #expect(try events().isEmpty)
    }
}
