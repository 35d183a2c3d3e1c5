import Foundation
import GRDB
import HomewardModel
import HomewardRuntime

/// Reintegration opened: an integration activity for every traveller.
struct ReintegrationOpenedHandler: EventHandler {
    func handle(_ e: ReintegrationOpened, of event: ReceivedEvent, in db: Database) throws {
        let timeline = try CaseTimeline(of: event, in: db)
        try timeline.step("reintegration-opened", "budget \(CaseTimeline.format(e.budget))")
        try timeline.advance(to: .reintegration)
        try timeline.recordActivity(of: try CaseRepository.travellers(event.caseID, in: db).map(\.travellerID), in: .integration)
    }
}
