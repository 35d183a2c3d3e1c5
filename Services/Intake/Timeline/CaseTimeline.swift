import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import IntakeAPI

/// What another service's event adds to its case here: a line on the timeline, the stage
/// the case has reached, its bookings, and the per-person activity the 5W report counts.
/// Intake learns outcomes, never health details: events carry none.
struct CaseTimeline {
    let event: ReceivedEvent
    let state: CaseRepository.CaseState
    let db: Database

    /// An event for a case intake has not registered can never apply.
    init(of event: ReceivedEvent, in db: Database) throws {
        guard let state = try CaseRepository.state(event.caseID, in: db) else {
            throw EventRejected("an event for a case intake has not registered")
        }
        (self.event, self.state, self.db) = (event, state, db)
    }

    /// A timeline line in the name of the service that published the event.
    func step(_ name: String, _ outcome: String, at: Date? = nil) throws {
        let actor = event.type.name.split(separator: ".").first.map(String.init) ?? "unknown"
        try CaseRepository.appendTimeline(event.caseID, at: at ?? event.time, actor: actor, step: name, outcome: outcome, eventID: event.id, in: db)
    }

    /// Only forward: travel's and reintegration's topics are not ordered against each
    /// other, so a departure may arrive after the reintegration case opened.
    func advance(to stage: CaseStage) throws {
        guard stage > state.stage else { return }
        try CaseRepository.setStage(event.caseID, stage, now: event.time, in: db)
    }

    func recordBooking(_ booking: BookingID, status: String) throws {
        try CaseRepository.recordBooking(booking, of: event.caseID, status: status, at: event.time, in: db)
    }

    func markDeparted(at departedAt: Date) throws {
        try CaseRepository.markDeparted(event.caseID, at: departedAt, now: event.time, in: db)
    }

    func recordActivity(of travellers: [TravellerID], in sector: Sector, at: Date? = nil) throws {
        try CaseRepository.recordActivity(event.caseID, travellers: travellers, sector: sector, at: at ?? event.time, in: db)
    }

    static func format(_ money: Money) -> String {
        let sign = money.amountMinor < 0 ? "-" : ""
        let units = abs(money.amountMinor)
        return "\(money.currency) \(sign)\(units / 100).\(String(format: "%02d", units % 100))"
    }
}
