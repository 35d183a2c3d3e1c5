public import GRDB
public import HomewardModel

/// A service's handlers, one per consumed event type: they say which types it consumes
/// (any other is dead-lettered) and apply each event with its own.
public struct EventHandlers: Sendable {
    private typealias Apply = @Sendable (ReceivedEvent, Database) throws -> Void
    private var byType: [ObjectIdentifier: Apply] = [:]
    /// The payload types handled, in the order given.
    public private(set) var handledEvents: [any EventPayload.Type] = []
    /// The service whose handlers these are.
    public let service: ServiceName

    public init(_ service: ServiceName, _ handlers: [any EventHandler]) {
        self.service = service
        for handler in handlers { add(handler) }
    }

    private mutating func add<H: EventHandler>(_ handler: H) {
        precondition(byType[ObjectIdentifier(H.Payload.self)] == nil, "two handlers for \(H.Payload.eventType)")
        byType[ObjectIdentifier(H.Payload.self)] = { event, db in
            guard let payload = event.payload as? H.Payload else { return }
            try handler.handle(payload, of: event, in: db)
        }
        handledEvents.append(H.Payload.self)
    }

    /// Applies `event` with the handler of its type; an event of another type is rejected.
    public func apply(_ event: ReceivedEvent, in db: Database) throws {
        guard let apply = byType[ObjectIdentifier(type(of: event.payload))] else {
            throw EventRejected("\(service.rawValue) has no reaction to \(event.type)")
        }
        try apply(event, db)
    }
}
