public import GRDB
public import HomewardModel
public import Foundation

/// Events written in the same transaction as the state change that caused them, and
/// published afterwards by the ``OutboxRelay`` in commit order.
public enum Outbox {
    /// Appends an event for its producer's topic, keyed by its case id.
    public static func append<P: EventPayload>(_ event: CloudEvent<P>, in db: Database, encoder: JSONEncoder = EventCoding.encoder()) throws {
        try insert(
            eventID: event.id.rawValue, topic: P.producer.topic, partition: nil, key: event.subject.rawValue,
            value: encoder.encode(event), headers: [("content-type", "application/cloudevents+json")], in: db)
    }

    /// Appends a raw message (dead letters: the original bytes, partition and key kept).
    public static func insert(eventID: String, topic: String, partition: Int32?, key: String?, value: Data, headers: [(String, String)], in db: Database) throws {
        let headerData = try JSONSerialization.data(withJSONObject: headers.map { [$0.0, $0.1] })
        let headerText = String(decoding: headerData, as: UTF8.self)
        try db.execute(
            sql: "INSERT INTO outbox (event_id, topic, partition, message_key, value, headers, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [eventID, topic, partition.map { Int64($0) }, key, value, headerText, Date().timeIntervalSince1970])
    }

    /// The oldest unpublished records, in commit order.
    public static func unpublished(limit: Int, in db: Database) throws -> [OutboxRecord] {
        try Row.fetchAll(db, sql: """
            SELECT seq, event_id, topic, partition, message_key, value, headers, created_at
            FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT ?
            """, arguments: [limit]).map { row in
            let headerText: String = row["headers"]
            let pairs = (try? JSONSerialization.jsonObject(with: Data(headerText.utf8)) as? [[String]]) ?? []
            return OutboxRecord(
                seq: row["seq"], eventID: row["event_id"], topic: row["topic"],
                partition: (row["partition"] as Int64?).map { Int32($0) }, key: row["message_key"],
                value: row["value"], headers: pairs.compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil },
                createdAt: Date(timeIntervalSince1970: row["created_at"]))
        }
    }

    public static func markPublished(_ seqs: [Int64], in db: Database) throws {
        guard !seqs.isEmpty else { return }
        let now = Date().timeIntervalSince1970
        for chunk in stride(from: 0, to: seqs.count, by: 500).map({ Array(seqs[$0..<min($0 + 500, seqs.count)]) }) {
            try db.execute(
                sql: "UPDATE outbox SET published_at = ? WHERE seq IN (\(chunk.map { _ in "?" }.joined(separator: ",")))",
                arguments: StatementArguments([now] + chunk.map { $0 as (any DatabaseValueConvertible) }))
        }
    }

    public static func backlog(in db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE published_at IS NULL") ?? 0
    }

    /// Deletes published records older than `age`; unpublished ones are never deleted.
    @discardableResult
    public static func prunePublished(olderThan age: TimeInterval, in db: Database) throws -> Int {
        try db.execute(sql: "DELETE FROM outbox WHERE published_at IS NOT NULL AND published_at < ?",
                       arguments: [Date().timeIntervalSince1970 - age])
        return db.changesCount
    }
}
