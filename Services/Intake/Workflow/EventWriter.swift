import Foundation
import GRDB
import HomewardModel
import HomewardStore

/// Appends the events of one staff action to the outbox: one trace and one correlation
/// id for all of them, so consumers can tell they belong together.
struct EventWriter {
    let caseID: CaseID
    let db: Database
    let now: Date
    private let traceparent = Traceparent.start()
    private var correlationID: EventID?

    init(caseID: CaseID, db: Database, now: Date) {
        self.caseID = caseID
        self.db = db
        self.now = now
    }

    mutating func publish<P: EventPayload>(_ payload: P) throws {
        let event = CloudEvent(caseID: caseID, time: now, correlationID: correlationID, traceparent: Traceparent.child(of: traceparent), data: payload)
        correlationID = correlationID ?? event.id
        try Outbox.append(event, in: db)
    }
}
