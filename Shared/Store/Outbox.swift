public import GRDB
public import HomewardModel
public import Foundation

/// Events written in the same transaction as the state change that caused them, and
/// published afterwards by the ``OutboxRelay`` in commit order.
///
/// Event bytes are sealed at rest (`outbox.value`, see ``SealingFunctions``): events carry
/// no names, but dead letters keep whatever bytes arrived. The relay reads them opened.
public enum Outbox {
    /// Appends an event for its producer's topic, keyed by its case id.
    public static func append<P: EventPayload>(_ event: CloudEvent<P>, in db: Database, encoder: JSONEncoder = EventCoding.encoder()) throws {
        try insert(
            eventID: event.id.rawValue, topic: P.producer.topic, partition: nil, key: event.subject.rawValue,
            value: encoder.encode(event), headerText: eventHeaderText, in: db)
    }

    /// The headers of every event: stored as written, read back without parsing.
    private static let eventHeaders = [("content-type", "application/cloudevents+json")]
    private static let eventHeaderText = #"[["content-type","application/cloudevents+json"]]"#

    /// Appends a raw message (dead letters: the original bytes, partition and key kept).
    public static func insert(eventID: String, topic: String, partition: Int32?, key: String?, value: Data, headers: [(String, String)], in db: Database) throws {
        let headerData = try JSONSerialization.data(withJSONObject: headers.map { [$0.0, $0.1] })
        try insert(eventID: eventID, topic: topic, partition: partition, key: key, value: value,
                   headerText: String(decoding: headerData, as: UTF8.self), in: db)
    }

    private static func insert(eventID: String, topic: String, partition: Int32?, key: String?, value: Data, headerText: String, in db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO outbox (event_id, topic, partition, message_key, value, headers, created_at) VALUES (?, ?, ?, ?, hw_seal(?, 'outbox.value'), ?, ?)")
            .execute(arguments: [eventID, topic, partition.map { Int64($0) }, key, value, headerText, Date().timeIntervalSince1970])
    }

    private static func headers(from text: String) -> [(String, String)] {
        if text == eventHeaderText { return eventHeaders }
        let pairs = (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String]]) ?? []
        return pairs.compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil }
    }

    /// The oldest unpublished records, in commit order.
    public static func unpublished(limit: Int, in db: Database) throws -> [OutboxRecord] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT seq, event_id, topic, partition, message_key, hw_open_blob(value, 'outbox.value'), headers, created_at
            FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT ?
            """), arguments: [limit]).map { row in
            OutboxRecord(
                seq: row[0], eventID: row[1], topic: row[2], partition: (row[3] as Int64?).map { Int32($0) }, key: row[4],
                value: row[5], headers: headers(from: row[6]), createdAt: Date(timeIntervalSince1970: row[7]))
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
