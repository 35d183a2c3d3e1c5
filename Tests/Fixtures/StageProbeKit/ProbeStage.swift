public import Foundation
public import GRDB
public import HomewardModel
public import HomewardRuntime
import HomewardStore
public import Hummingbird

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
    public var eventHandlers: EventHandlers {
        role == .first ? EventHandlers(role.service, [Requested(acceptRejects: acceptRejects)]) : EventHandlers(role.service, [Applied()])
    }

    public var schema: any ServiceSchema.Type { ProbeSchema.self }

    /// Probe effects are not personal data: there is nothing to erase.
    public func eraseAgain(_ caseID: CaseID, erasedAt: Date, in db: Database) throws {}

    /// The first stage: applies a request and asks the second stage for the same.
    struct Requested: EventHandler {
        let acceptRejects: Bool
        func handle(_ request: ProbeRequested, of event: ReceivedEvent, in db: Database) throws {
            if request.reject == true && !acceptRejects { throw EventRejected("probe asked to reject") }
            if request.seq < 0 { throw ProbeFailure() }
            try Outbox.append(event.causing(ProbeApplied(requestID: event.id.rawValue, seq: request.seq)), in: db)
            try ProbeStage.record(request.seq, of: event, in: db)
        }
    }

    /// The second stage: records what the first applied.
    struct Applied: EventHandler {
        func handle(_ applied: ProbeApplied, of event: ReceivedEvent, in db: Database) throws {
            try ProbeStage.record(applied.seq, of: event, in: db)
        }
    }

    /// Each effect, and any event applied out of its case's order.
    static func record(_ seq: Int, of event: ReceivedEvent, in db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO probe_effect (event_id, case_id, seq) VALUES (?, ?, ?)")
            .execute(arguments: [event.id.rawValue, event.caseID.rawValue, seq])
        let last = try Int.fetchOne(db.cachedStatement(sql: "SELECT last_seq FROM probe_case WHERE case_id = ?"), arguments: [event.caseID.rawValue])
        if let last, seq <= last {
            try db.execute(sql: "INSERT INTO probe_order_violation VALUES (?, ?, ?)", arguments: [event.caseID.rawValue, seq, last])
        }
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO probe_case VALUES (?, ?)").execute(arguments: [event.caseID.rawValue, max(seq, last ?? 0)])
    }


    public func addRoutes(to router: Router<ServiceRequestContext>, stores: PartitionStores) {}
}

/// A handler failure that is not a rejection: retried, then dead-lettered.
struct ProbeFailure: Error, CustomStringConvertible {
    var description: String { "probe handler failure" }
}

/// The probe's tables: its effects, each case's last sequence number, and the events
/// applied out of their case's order.
enum ProbeSchema: ServiceSchema {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("probe-v1") { db in
            try db.execute(sql: """
                CREATE TABLE probe_effect (id INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL, case_id TEXT NOT NULL, seq INTEGER NOT NULL);
                CREATE TABLE probe_case (case_id TEXT PRIMARY KEY, last_seq INTEGER NOT NULL);
                CREATE TABLE probe_order_violation (case_id TEXT NOT NULL, seq INTEGER NOT NULL, after_seq INTEGER NOT NULL);
                """)
        }
    }

    static var partitionedTables: [PartitionedTable] { ["probe_effect", "probe_case", "probe_order_violation"].map { PartitionedTable($0) } }
    static var sealedColumns: [SealedColumn] { [] }
}
