public import Foundation
public import HomewardModel
public import HomewardStore

extension ReceivedEvent {
    /// `payload` as a service's handlers receive it: new ids, no cause, no trace.
    public static func received<P: EventPayload>(_ payload: P, case id: CaseID, at time: Date) -> ReceivedEvent {
        ReceivedEvent(id: EventID(), type: P.eventType, caseID: id, time: time, correlationID: EventID(), causationID: nil, traceparent: nil, payload: payload)
    }
}

extension Store {
    /// What a workflow appended to the outbox and nothing has published yet, decoded with
    /// `service`'s catalogue.
    public func unpublishedEvents(of service: ServiceName) throws -> [ReceivedEvent] {
        let registry = EventRegistry(EventCatalogue.published(by: service))
        return try read { db in try Outbox.unpublished(limit: 10_000, in: db) }.compactMap { try registry.decode($0.value, key: $0.key) }
    }

    /// The same records as stored, one a line: to check what must never be in them.
    public func unpublishedText() throws -> String {
        try read { db in try Outbox.unpublished(limit: 10_000, in: db) }.map { String(decoding: $0.value, as: UTF8.self) }.joined(separator: "\n")
    }
}
