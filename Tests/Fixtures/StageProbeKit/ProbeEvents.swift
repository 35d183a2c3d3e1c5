public import HomewardModel

/// Test-only event types: not in the catalogue, never published by a real service.
/// They stand in for "an event a stage applies" and "the event it publishes in turn".
public struct ProbeRequested: EventPayload {
    public static let eventType = EventType("probe.requested", major: 1)
    public static let producer = ServiceName.intake
    public static let examples = [ProbeRequested(seq: 1)]

    /// Position of this request among its case's requests, to check per-case order.
    public var seq: Int
    /// Makes the handler reject the event (dead letter without retries).
    public var reject: Bool?

    public init(seq: Int, reject: Bool? = nil) {
        self.seq = seq
        self.reject = reject
    }
}

public struct ProbeApplied: EventPayload {
    public static let eventType = EventType("probe.applied", major: 1)
    public static let producer = ServiceName.healthScreening
    public static let examples = [ProbeApplied(requestID: "r", seq: 1)]

    public var requestID: String
    public var seq: Int

    public init(requestID: String, seq: Int) {
        self.requestID = requestID
        self.seq = seq
    }
}
