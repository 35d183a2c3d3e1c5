/// The typed `data` of one event type. Every payload is shared by all services
/// through this module and described by a JSON Schema in the catalogue.
public protocol EventPayload: Codable, Sendable, Equatable {
    /// The type and major version this payload is published as.
    static var eventType: EventType { get }
    /// The service that publishes it; its topic follows from that.
    static var producer: ServiceName { get }
}

extension EventPayload {
    /// Named by its type: `intake.case-registered` is intake's.
    public static var producer: ServiceName {
        guard let service = eventType.producer else {
            preconditionFailure("\(eventType) does not start with a service's name")
        }
        return service
    }
}
