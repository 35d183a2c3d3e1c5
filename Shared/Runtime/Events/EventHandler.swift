public import GRDB
public import HomewardModel

/// One consumed event type's effect on a service's partition store, applied in the
/// consumer's transaction. It may run more than once for one event (a batch in which a
/// handler threw is rolled back and applied again), so it touches nothing outside `db`;
/// it throws ``EventRejected`` for an event that can never apply.
public protocol EventHandler: Sendable {
    associatedtype Payload: EventPayload
    func handle(_ payload: Payload, of event: ReceivedEvent, in db: Database) throws
}
