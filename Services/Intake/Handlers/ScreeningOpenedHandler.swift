import Foundation
import GRDB
import HomewardModel
import HomewardRuntime

/// A traveller's screening opened: a health activity for the 5W report.
struct ScreeningOpenedHandler: EventHandler {
    func handle(_ e: ScreeningOpened, of event: ReceivedEvent, in db: Database) throws {
        let timeline = try CaseTimeline(of: event, in: db)
        try timeline.step("screening-opened", "\(e.travellerID): \(e.kind.rawValue) screening")
        try timeline.recordActivity(of: [e.travellerID], in: .health)
    }
}
