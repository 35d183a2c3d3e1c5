public import Foundation

/// An event as a consumer receives it: the envelope, and the payload typed by the
/// registry. Handlers match on the payload's type.
public struct ReceivedEvent: Sendable {
    public let id: EventID
    public let type: EventType
    public let caseID: CaseID
    public let time: Date
    public let correlationID: EventID
    public let causationID: EventID?
    public let traceparent: String?
    public let payload: any EventPayload

    public init(id: EventID, type: EventType, caseID: CaseID, time: Date, correlationID: EventID, causationID: EventID?,
                traceparent: String?, payload: any EventPayload) {
        self.id = id
        self.type = type
        self.caseID = caseID
        self.time = time
        self.correlationID = correlationID
        self.causationID = causationID
        self.traceparent = traceparent
        self.payload = payload
    }

    /// The typed payload, or nil when this event is of another type.
    public func payload<P: EventPayload>(as _: P.Type) -> P? { payload as? P }

    /// The event this one causes: same case, correlation and trace; causation = this event.
    public func causing<Next: EventPayload>(_ next: Next, id: EventID = EventID(), time: Date = Date()) -> CloudEvent<Next> {
        CloudEvent<Next>(
            id: id, caseID: caseID, time: time, correlationID: correlationID,
            causationID: self.id, traceparent: Traceparent.child(of: traceparent), data: next
        )
    }
}
