public import GRDB
public import HomewardModel
public import HomewardRuntime
import HomewardStore
public import Hummingbird
public import Logging

/// A stage built on the runtime exactly as a service is, with trivial domain logic:
/// - `first` (runs as health-screening): applies `ProbeRequested` from intake's topic,
///   records an effect row and publishes one `ProbeApplied`;
///   A negative `seq` makes the handler fail (retried, then dead-lettered); `reject`
///   makes it reject (dead-lettered at once).
/// - `second` (runs as travel-booking): applies `ProbeApplied`, records an effect row.
/// Effect rows have no unique key, so an event applied twice would show as two rows.
public struct ProbeStage: HomewardService {
    public enum Role: String, Sendable {
        case first, second
        public var service: ServiceName { self == .first ? .healthScreening : .travelBooking }
    }

    let role: Role
    /// Stands for "the cause is fixed": requests marked to be rejected are applied.
    let acceptRejects: Bool

    public init(role: Role, acceptRejects: Bool = false) {
        self.role = role
        self.acceptRejects = acceptRejects
    }

    public var subscriptions: [ServiceName] { role == .first ? [.intake] : [.healthScreening] }
    public var handledEvents: [any EventPayload.Type] { role == .first ? [ProbeRequested.self] : [ProbeApplied.self] }

    public func migrate(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("probe-v1") { db in
            try db.execute(sql: """
                CREATE TABLE probe_effect (id INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL, case_id TEXT NOT NULL, seq INTEGER NOT NULL);
                CREATE TABLE probe_case (case_id TEXT PRIMARY KEY, last_seq INTEGER NOT NULL);
                CREATE TABLE probe_order_violation (case_id TEXT NOT NULL, seq INTEGER NOT NULL, after_seq INTEGER NOT NULL);
                """)
        }
    }

    public func apply(_ event: ReceivedEvent, in db: Database, logger: Logger) throws {
        let seq: Int
        if let request = event.payload(as: ProbeRequested.self) {
            if request.reject == true && !acceptRejects { throw EventRejected("probe asked to reject") }
            if request.seq < 0 { throw ProbeFailure() }
            seq = request.seq
            try Outbox.append(event.causing(ProbeApplied(requestID: event.id.rawValue, seq: seq)), in: db)
        } else if let applied = event.payload(as: ProbeApplied.self) {
            seq = applied.seq
        } else {
            throw EventRejected("unexpected event type")
        }
        try db.cachedStatement(sql: "INSERT INTO probe_effect (event_id, case_id, seq) VALUES (?, ?, ?)")
            .execute(arguments: [event.id.rawValue, event.caseID.rawValue, seq])
        let last = try Int.fetchOne(db.cachedStatement(sql: "SELECT last_seq FROM probe_case WHERE case_id = ?"), arguments: [event.caseID.rawValue])
        if let last, seq <= last {
            try db.execute(sql: "INSERT INTO probe_order_violation VALUES (?, ?, ?)", arguments: [event.caseID.rawValue, seq, last])
        }
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO probe_case VALUES (?, ?)").execute(arguments: [event.caseID.rawValue, max(seq, last ?? 0)])
    }

    public var partitionedTables: [PartitionedTable] { ["probe_effect", "probe_case", "probe_order_violation"].map { PartitionedTable($0) } }

    public func addRoutes(to router: Router<ServiceRequestContext>, stores: PartitionStores) {}
}

/// A handler failure that is not a rejection: retried, then dead-lettered.
struct ProbeFailure: Error, CustomStringConvertible {
    var description: String { "probe handler failure" }
}
