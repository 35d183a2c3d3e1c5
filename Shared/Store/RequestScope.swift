public import GRDB
public import Foundation
import HomewardModel
import Synchronization

/// What a staff request's change commits with, bound to the request's task by the HTTP
/// layer: its audit entry, and, when the caller sent an `Idempotency-Key`, the answer a
/// retry gets (``IdempotentAnswer``). The first write transaction the request runs appends
/// both (``Store/write(_:)``), so a change, the entry recording who made it and the
/// answer to its retries commit together or not at all. A request that changes nothing
/// gets its entry afterwards, with the status it answered.
public final class RequestScope: Sendable {
    @TaskLocal public static var current: RequestScope?

    public let actor: String
    /// The token's display name, recorded beside the subject.
    public let actorName: String?
    public let roles: [String]
    public let action: String
    public let path: String
    public let from: String
    /// Refuses a change to a store this host may no longer own (across hosts, a request can
    /// race its store's move): checked in the change's own transaction.
    public let fence: (@Sendable (Store, Database) throws -> Void)?

    private struct State {
        var caseID: String?
        var status = 200
        var location: String?
        var etag: String?
        var retry: (key: String, fingerprint: Data)?
        var recorded = false
        var written: [Store] = []
    }
    private let state: Mutex<State>

    public init(actor: String, actorName: String? = nil, roles: [String], action: String, path: String, caseID: String?, from: String,
                fence: (@Sendable (Store, Database) throws -> Void)? = nil) {
        self.fence = fence
        self.actor = actor
        self.actorName = actorName
        self.roles = roles
        self.action = action
        self.path = path
        self.from = from
        state = Mutex(State(caseID: caseID))
    }

    /// The case the request concerns, when its path names a booking, a traveller or nothing yet.
    public var caseID: String? { state.withLock { $0.caseID } }

    /// Whether the entry went in with a committed change.
    public var isRecorded: Bool { state.withLock { $0.recorded } }

    public func concerns(_ caseID: String) {
        state.withLock { $0.caseID = caseID }
    }

    /// The change creates the resource at `location`: it answers 201 (else 200).
    public func created(at location: String) {
        state.withLock {
            $0.status = 201
            $0.location = location
        }
    }

    /// The change answers with this `ETag` (a retry gets it again).
    public func tagged(_ etag: String) {
        state.withLock { $0.etag = etag }
    }

    /// The caller sent `key`: the change's answer is kept for its retries.
    public func answersRetries(key: String, fingerprint: Data) {
        state.withLock { $0.retry = (key, fingerprint) }
    }

    /// Appends the entry, and the answer for retries, in `db`'s transaction unless they are
    /// in already; `result` is what the change answers.
    func recordChange(_ result: Any, in db: Database) throws {
        let (caseID, status, location, etag, retry, recorded) = state.withLock { ($0.caseID, $0.status, $0.location, $0.etag, $0.retry, $0.recorded) }
        guard !recorded else { return }
        try append(outcome: status, caseID: caseID, in: db)
        if let retry, let body = result as? any Encodable {
            try IdempotentAnswer.record(actor: actor, key: retry.key, fingerprint: retry.fingerprint, caseID: caseID,
                                        status: status, location: location, etag: etag, body: try Self.encoder.encode(body), in: db)
        }
        state.withLock { $0.recorded = true }
    }

    /// The stores the request's changes went to: with a changelog, the answer waits for
    /// them to reach it.
    public var writtenStores: [Store] { state.withLock { $0.written } }

    func wrote(_ store: Store) {
        state.withLock { state in
            if !state.written.contains(where: { $0 === store }) { state.written.append(store) }
        }
    }

    /// A write transaction rolled back: if the entry was not in before it (`recordedBefore`),
    /// it is not in now.
    func rollBack(to recordedBefore: Bool?) {
        if recordedBefore == false { state.withLock { $0.recorded = false } }
    }

    /// Appends the entry of a request that changed nothing, with the status it answered.
    public func append(outcome: Int, in db: Database) throws {
        try append(outcome: outcome, caseID: caseID, in: db)
    }

    private func append(outcome: Int, caseID: String?, in db: Database) throws {
        try AuditTrail.append(at: Instant.format(Date()), actor: actor, actorName: actorName, roles: roles, action: action, path: path,
                              caseID: caseID, from: from, outcome: outcome, in: db)
    }

    /// The services' response encoder, so that a retry gets the same JSON.
    static let encoder = EventCoding.encoder()
}
