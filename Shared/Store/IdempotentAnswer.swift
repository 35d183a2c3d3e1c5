public import Foundation
public import GRDB

/// The answer to a change made with an `Idempotency-Key`, kept for ``retention`` so that a
/// retry of the same request by the same caller gets it again instead of making the change
/// twice. Written in the change's transaction (``RequestScope``); the answer is sealed, as
/// it may carry personal or medical data, and deleted with the case's personal data.
public struct IdempotentAnswer: Sendable {
    public var status: Int
    public var location: String?
    public var etag: String?
    public var body: Data
    /// Whether the retry is the same request (method, path and body) as the first.
    public var sameRequest: Bool

    /// How long a key is remembered: a day covers a client's retries through an outage.
    public static let retention: TimeInterval = 24 * 3600

    /// The answer to `actor`'s request with `key`, if made within ``retention``.
    public static func find(actor: String, key: String, fingerprint: Data, now: Date = Date(), in db: Database) throws -> IdempotentAnswer? {
        try Row.fetchOne(db.cachedStatement(sql: """
            SELECT status, location, etag, hw_open_blob(answer, 'idempotency.answer'),
                   fingerprint IN (SELECT value FROM json_each(hw_digest_all(?)))
            FROM idempotency WHERE actor = ? AND key = ? AND created_at > ?
            """), arguments: [fingerprint, actor, key, now.timeIntervalSince1970 - retention]).map { row in
            IdempotentAnswer(status: row[0], location: row[1], etag: row[2], body: row[3], sameRequest: row[4])
        }
    }

    /// Keeps the answer; refuses a second one for the same key (two requests with one key at
    /// once: the later one rolls back). Forgets answers past ``retention`` on the way.
    static func record(actor: String, key: String, fingerprint: Data, caseID: String?, status: Int, location: String?, etag: String? = nil,
                       body: Data, now: Date = Date(), in db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM idempotency WHERE created_at <= ?").execute(arguments: [now.timeIntervalSince1970 - retention])
        guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM idempotency WHERE actor = ? AND key = ?"), arguments: [actor, key]) == nil else {
            throw IdempotencyKeyInUse()
        }
        try db.cachedStatement(sql: """
            INSERT INTO idempotency (actor, key, fingerprint, case_id, status, location, etag, answer, created_at)
            VALUES (?, ?, hw_digest(?), ?, ?, ?, ?, hw_seal(?, 'idempotency.answer'), ?)
            """).execute(arguments: [actor, key, fingerprint, caseID, status, location, etag, body, now.timeIntervalSince1970])
    }

    /// Deletes the kept answers about a case whose personal data is erased.
    public static func forget(caseID: String, in db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM idempotency WHERE case_id = ?").execute(arguments: [caseID])
    }
}

/// Another request with the same `Idempotency-Key` committed first.
public struct IdempotencyKeyInUse: Error {}
