public import Foundation
public import GRDB
public import HomewardModel
import HomewardStore

/// Appends the events of one staff action to the outbox: one trace and one correlation
/// id for all of them, so consumers can tell they belong together.
public struct ActionEvents {
    public let caseID: CaseID
    let db: Database
    let now: Date
    private let traceparent = Traceparent.start()
    private var correlationID: EventID?

    public init(caseID: CaseID, db: Database, now: Date) {
        self.caseID = caseID
        self.db = db
        self.now = now
    }

    public mutating func publish<P: EventPayload>(_ payload: P) throws {
        let event = CloudEvent(caseID: caseID, time: now, correlationID: correlationID, traceparent: Traceparent.child(of: traceparent), data: payload)
        correlationID = correlationID ?? event.id
        try Outbox.append(event, in: db)
    }
}
