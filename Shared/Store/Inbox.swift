public import GRDB
public import Foundation

/// The ids of events a consumer group has already applied (or dead-lettered), recorded in
/// the same transaction as their effect: a redelivered event is recognised and skipped.
public enum Inbox {
    public enum Outcome: String, Sendable {
        case applied
        case deadLettered = "dead-lettered"
    }

    public static func contains(_ eventID: String, in db: Database) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM inbox WHERE event_id = ?"), arguments: [eventID]) ?? false
    }

    /// What became of an event, if it was seen.
    public static func outcome(of eventID: String, in db: Database) throws -> Outcome? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT outcome FROM inbox WHERE event_id = ?"), arguments: [eventID]).flatMap(Outcome.init(rawValue:))
    }

    /// Forgets a dead-lettered event, so that its replay is applied once.
    public static func forgetDeadLetter(_ eventID: String, in db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM inbox WHERE event_id = ? AND outcome = ?").execute(arguments: [eventID, Outcome.deadLettered.rawValue])
    }

    /// Every event applied here (audits of a whole run).
    public static func applied(in db: Database) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT event_id FROM inbox WHERE outcome = ?", arguments: [Outcome.applied.rawValue])
    }

    public static func record(_ eventID: String, group: String, outcome: Outcome, in db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO inbox (event_id, consumer_group, outcome, received_at) VALUES (?, ?, ?, ?)")
            .execute(arguments: [eventID, group, outcome.rawValue, Date().timeIntervalSince1970])
    }

    /// Forgets events received longer than `age` ago: none of them can arrive again once
    /// Kafka no longer keeps them (``ServiceConfiguration/inboxRetention``).
    @discardableResult
    public static func prune(olderThan age: TimeInterval, in db: Database) throws -> Int {
        try db.execute(sql: "DELETE FROM inbox WHERE received_at < ?", arguments: [Date().timeIntervalSince1970 - age])
        return db.changesCount
    }

    /// Records an event as applied unless it was seen before, in one statement: true if it
    /// was not (the caller applies it now, in this transaction), false for an event seen
    /// already (read its ``outcome(of:in:)``).
    public static func claim(_ eventID: String, group: String, in db: Database) throws -> Bool {
        try db.cachedStatement(sql: """
            INSERT INTO inbox (event_id, consumer_group, outcome, received_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (event_id) DO NOTHING
            """).execute(arguments: [eventID, group, Outcome.applied.rawValue, Date().timeIntervalSince1970])
        return db.changesCount > 0
    }

    /// Records a dead-lettered event as applied: its replay, applied now.
    public static func reclaimDeadLetter(_ eventID: String, group: String, in db: Database) throws {
        try db.cachedStatement(sql: "UPDATE inbox SET outcome = ?, consumer_group = ?, received_at = ? WHERE event_id = ? AND outcome = ?")
            .execute(arguments: [Outcome.applied.rawValue, group, Date().timeIntervalSince1970, eventID, Outcome.deadLettered.rawValue])
    }

    /// Forgets an event claimed in this transaction whose handler failed: it is tried again.
    public static func forget(_ eventID: String, in db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM inbox WHERE event_id = ?").execute(arguments: [eventID])
    }

    /// Records an event as dead-lettered, whether or not it was claimed in this transaction.
    public static func recordDeadLettered(_ eventID: String, group: String, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO inbox (event_id, consumer_group, outcome, received_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (event_id) DO UPDATE SET consumer_group = excluded.consumer_group, outcome = excluded.outcome, received_at = excluded.received_at
            """).execute(arguments: [eventID, group, Outcome.deadLettered.rawValue, Date().timeIntervalSince1970])
    }
}
