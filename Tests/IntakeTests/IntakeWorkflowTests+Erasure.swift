import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore
@testable import Intake
import TestSupport
import Testing
import IntakeAPI

/// Each service confirms the erasure it applied; a store restored from before an erasure
/// is erased again from the ledger.
extension IntakeWorkflowTests {
    func erasedAwaitingConfirmation() throws -> [CaseID] {
        var filter = CaseFilter()
        filter.erasureUnconfirmed = true
        return try store.read { db in try CaseRepository.search(filter, in: db) }.cases.map(\.caseID)
    }

    @Test func anErasedCaseShowsWhichServicesHaveConfirmedItAndIsListedUntilAllHave() throws {
        let id = try register(), other = try register()
        try store.write { db in try workflow.withdraw(id, WithdrawalInput(recordedBy: "cw"), in: db) }
        try store.write { db in try workflow.erase(id, ErasureInput(recordedBy: "sup"), in: db) }
        #expect(try view(id).erasureConfirmedBy == [] && view(id).erasureAwaitedFrom == ["health-screening", "travel-booking", "reintegration"])
        #expect(try view(other).erasureConfirmedBy == nil && view(other).erasureAwaitedFrom == nil, "not erased: nothing to confirm")
        #expect(try erasedAwaitingConfirmation() == [id])

        let confirmations: [any EventPayload] = [TravelErasureApplied(), HealthErasureApplied(), HealthErasureApplied(), ReintegrationErasureApplied()]
        for (n, confirmation) in confirmations.enumerated() {
            try store.write { db in try IntakeService.handlers.apply(.received(confirmation, case: id, at: IntakeFixtures.now), in: db) }
            if n == 2 {
                #expect(try view(id).erasureConfirmedBy == ["health-screening", "travel-booking"] && view(id).erasureAwaitedFrom == ["reintegration"],
                        "a service confirming twice counts once")
                #expect(try erasedAwaitingConfirmation() == [id])
            }
        }
        #expect(try view(id).erasureConfirmedBy == ["health-screening", "travel-booking", "reintegration"] && view(id).erasureAwaitedFrom == [])
        #expect(try erasedAwaitingConfirmation().isEmpty)
    }

    @Test func aCaseErasedAgainFromTheLedgerLosesItsPersonalDataAndAnnouncesNothing() throws {
        let id = try register()
        let published = try store.unpublishedEvents(of: .intake).count
        try store.write { db in try IntakeService(workflow: workflow).eraseAgain(id, erasedAt: IntakeFixtures.now, in: db) }
        let view = try view(id)
        #expect(view.erased && view.erasureReason == nil, "the reason was not in the backup")
        #expect(view.travellers.allSatisfy { $0.givenName == nil && $0.dateOfBirth == nil })
        #expect(view.timeline.last?.step == "personal-data-erased")
        #expect(try store.unpublishedEvents(of: .intake).count == published, "every service keeps its own ledger")
    }

    @Test func anActiveCaseWithoutAStepForTheInactivityPeriodIsWithdrawnAndItsRetentionRuns() throws {
        let quiet = try register(), heard = try register()
        let lastMonth = IntakeFixtures.now.addingTimeInterval(370 * 86_400)
        try store.write { db in
            try IntakeService.handlers.apply(.received(ScreeningOpened(travellerID: TravellerID("\(heard)-T1"), kind: .initial), case: heard, at: lastMonth), in: db)
        }
        let yearAgo = IntakeFixtures.now.addingTimeInterval(400 * 86_400 - 365 * 86_400)
        #expect(try store.read { db in try CaseRepository.activeWithoutStepSince(yearAgo, limit: 50, in: db) } == [quiet])

        let later = IntakeFixtures.workflow(now: IntakeFixtures.now.addingTimeInterval(400 * 86_400))
        try store.write { db in try later.withdrawInactive(quiet, days: 365, in: db) }
        let view = try view(quiet)
        #expect(view.status == .withdrawn && view.timeline.last?.outcome.hasPrefix("no activity for 365 days") == true)
        #expect(try store.unpublishedEvents(of: .intake).last?.type.name == "intake.case-withdrawn", "every service stops its steps")
        #expect(try store.read { db in try CaseRepository.endedBefore(IntakeFixtures.now.addingTimeInterval(401 * 86_400), limit: 50, in: db) } == [quiet],
                "the retention period after its end runs")
    }
}
