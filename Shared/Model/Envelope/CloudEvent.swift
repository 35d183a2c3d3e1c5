public import Foundation

/// A CloudEvents 1.0 structured-mode JSON event, with Homeward's extension attributes.
///
/// The Kafka message key is always ``subject``, the case id, so that every event of a
/// case lands on one partition and keeps its order.
public struct CloudEvent<Payload: EventPayload>: Codable, Sendable, Equatable {
    public var id: EventID
    public var source: String
    public var specversion: String
    public var type: String
    /// The case id.
    public var subject: CaseID
    public var time: Date
    public var datacontenttype: String
    public var dataschema: String
    /// The id shared by every event that one staff action or intake set in motion.
    public var correlationid: EventID
    /// The id of the event that caused this one, if another event did.
    public var causationid: EventID?
    /// W3C Trace Context `traceparent` (CloudEvents distributed tracing extension).
    public var traceparent: String?
    public var data: Payload

    public init(
        id: EventID = EventID(),
        caseID: CaseID,
        time: Date = Date(),
        correlationID: EventID? = nil,
        causationID: EventID? = nil,
        traceparent: String? = nil,
        data: Payload
    ) {
        self.id = id
        self.source = Payload.producer.eventSource
        self.specversion = "1.0"
        self.type = Payload.eventType.cloudEventsType
        self.subject = caseID
        self.time = time
        self.datacontenttype = "application/json"
        self.dataschema = Payload.eventType.dataschema
        self.correlationid = correlationID ?? id
        self.causationid = causationID
        self.traceparent = traceparent
        self.data = data
    }

    /// The event that `self` causes: same case, correlation and trace; causation = this event.
    public func causing<Next: EventPayload>(_ next: Next, id: EventID = EventID(), time: Date = Date()) -> CloudEvent<Next> {
        CloudEvent<Next>(
            id: id, caseID: subject, time: time, correlationID: correlationid,
            causationID: self.id, traceparent: Traceparent.child(of: traceparent), data: next
        )
    }
}

