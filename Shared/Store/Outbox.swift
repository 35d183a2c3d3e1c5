public import GRDB
public import HomewardModel
public import Foundation

/// Events written in the same transaction as the state change that caused them, and
/// published afterwards by the ``OutboxRelay`` in commit order.
///
/// A service's own events are stored as they will be published: they carry no personal
/// value (the catalogue's rule; the personal-data tests read every store file, outbox
/// included, for the person's values) and go to Kafka in clear, so sealing them here
/// protected nothing and cost a stage about a twentieth of its CPU. Raw
/// messages (dead letters keep whatever bytes arrived) are sealed at rest (`outbox.value`,
/// see ``SealingFunctions``). The relay reads both through `hw_open_blob`.
public enum Outbox {
    /// Appends an event for its producer's topic, keyed by its case id.
    public static func append<P: EventPayload>(_ event: CloudEvent<P>, in db: Database) throws {
        try insert(
            eventID: event.id.rawValue, topic: P.producer.topic, partition: nil, key: event.subject.rawValue,
            value: EnvelopeWriter.encode(event), headers: eventHeaders, headerText: eventHeaderText, sealed: false, in: db)
    }

    /// The headers of every event: stored as written, read back without parsing.
    private static let eventHeaders = [("content-type", "application/cloudevents+json")]
    private static let eventHeaderText = #"[["content-type","application/cloudevents+json"]]"#

    /// Appends a raw message (dead letters: the original bytes, partition and key kept).
    public static func insert(eventID: String, topic: String, partition: Int32?, key: String?, value: Data, headers: [(String, String)], in db: Database) throws {
        let headerData = try JSONSerialization.data(withJSONObject: headers.map { [$0.0, $0.1] })
        try insert(eventID: eventID, topic: topic, partition: partition, key: key, value: value,
                   headers: headers, headerText: String(decoding: headerData, as: UTF8.self), sealed: true, in: db)
    }

    /// Inserts a row and notes it in the store's ``OutboxMemory``, if one is attached: the
    /// relay publishes it from there once committed.
    private static func insert(eventID: String, topic: String, partition: Int32?, key: String?, value: Data,
                               headers: [(String, String)], headerText: String, sealed: Bool, in db: Database) throws {
        let now = Date()
        try db.cachedStatement(sql: sealed ? insertSealed : insertClear)
            .execute(arguments: [eventID, topic, partition.map { Int64($0) }, key, value, headerText, now.timeIntervalSince1970])
        OutboxMemory.attached(to: db)?.note(OutboxRecord(
            seq: db.lastInsertedRowID, eventID: eventID, topic: topic, partition: partition, key: key, value: value, headers: headers, createdAt: now))
    }

    /// The two inserts, written once: the SQL text is the statement cache's key, and
    /// building it per row cost an event about 1,500 instructions.
    private static let insertClear = "INSERT INTO outbox (event_id, topic, partition, message_key, value, headers, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
    private static let insertSealed = "INSERT INTO outbox (event_id, topic, partition, message_key, value, headers, created_at) VALUES (?, ?, ?, ?, hw_seal(?, 'outbox.value'), ?, ?)"

    private static func headers(from text: String) -> [(String, String)] {
        if text == eventHeaderText { return eventHeaders }
        if text == "[]" { return [] }
        let pairs = (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String]]) ?? []
        return pairs.compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil }
    }

    /// The oldest unpublished records, in commit order.
    public static func unpublished(limit: Int, in db: Database) throws -> [OutboxRecord] {
        try records(db.cachedStatement(sql: """
            SELECT seq, event_id, topic, partition, message_key, hw_open_blob(value, 'outbox.value'), headers, created_at
            FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT ?
            """), arguments: [limit])
    }

    /// The oldest unpublished records of `topic` (`including`) or of every other topic,
    /// committed up to `seq`, in commit order: the relay sends a store's changelog first.
    public static func unpublished(topic: String, including: Bool, through seq: Int64, limit: Int, in db: Database) throws -> [OutboxRecord] {
        try records(db.cachedStatement(sql: """
            SELECT seq, event_id, topic, partition, message_key, hw_open_blob(value, 'outbox.value'), headers, created_at
            FROM outbox WHERE published_at IS NULL AND seq <= ? AND (topic = ?) = ? ORDER BY seq LIMIT ?
            """), arguments: [seq, topic, including, limit])
    }

    /// Whether a row of `topic` (a changelog) is still to be published.
    public static func hasUnpublished(topic: String, in db: Database) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM outbox WHERE topic = ? AND published_at IS NULL)"),
                          arguments: [topic]) ?? false
    }

    /// Where this store's records reached on a topic partition: the offset after its last
    /// one there (for a changelog, the copy's position in it); nil before any.
    public static func reached(topic: String, partition: Int32, in db: Database) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT next_offset FROM outbox_delivered WHERE topic = ? AND partition = ?"),
                           arguments: [topic, Int64(partition)])
    }

    /// The last row committed (0 for none).
    public static func lastSeq(in db: Database) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT COALESCE(MAX(seq), 0) FROM outbox")) ?? 0
    }

    private static func records(_ statement: Statement, arguments: StatementArguments) throws -> [OutboxRecord] {
        try Row.fetchAll(statement, arguments: arguments).map { row in
            OutboxRecord(
                seq: row[0], eventID: row[1], topic: row[2], partition: (row[3] as Int64?).map { Int32($0) }, key: row[4],
                value: row[5], headers: headers(from: row[6]), createdAt: Date(timeIntervalSince1970: row[7]))
        }
    }

    /// The header every published record carries: its outbox row, as `<seq> <event id>`.
    public static let rowHeader = "homeward-outbox-row"

    public static func rowHeaderValue(_ record: OutboxRecord) -> String { "\(record.seq) \(record.eventID)" }

    /// Marks published the rows named by ``rowHeader`` values read back from the topic: a
    /// row matches by `seq` and event id both, so a store restored from a backup, whose new
    /// rows reuse `seq`s, never takes a new row for an old one.
    public static func markPublished(rowHeaders: [String], reaching delivered: [DeliveredPosition], in db: Database) throws -> Int {
        var marked = 0
        for value in rowHeaders {
            let parts = value.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, let seq = Int64(parts[0]) else { continue }
            let eventID = String(parts[1])
            if ChangelogCapture.isChangelogRow(eventID: eventID) {
                try db.cachedStatement(sql: "DELETE FROM outbox WHERE seq = ? AND event_id = ? AND published_at IS NULL").execute(arguments: [seq, eventID])
            } else {
                try db.execute(sql: "UPDATE outbox SET published_at = ? WHERE seq = ? AND event_id = ? AND published_at IS NULL",
                               arguments: [Date().timeIntervalSince1970, seq, eventID])
            }
            marked += db.changesCount
        }
        try markPublished([], reaching: delivered, in: db)
        return marked
    }

    /// Marks rows published and records how far their topic partitions now reach.
    public static func markPublished(_ seqs: [Int64], reaching delivered: [DeliveredPosition], in db: Database) throws {
        try markPublished(seqs, in: db)
        for position in delivered {
            try db.cachedStatement(sql: """
                INSERT INTO outbox_delivered (topic, partition, next_offset) VALUES (?, ?, ?)
                ON CONFLICT (topic, partition) DO UPDATE SET next_offset = MAX(next_offset, excluded.next_offset)
                """).execute(arguments: [position.topic, position.partition, position.nextOffset])
        }
    }

    /// Where this store's records reached on each topic partition, for the topics that
    /// unpublished rows are waiting for (a new owner reads from there).
    /// A topic with rows to publish and no recorded position was never marked as reached
    /// (its first publish may have been acknowledged just before its owner was killed):
    /// it is read from its start, on the store's `partition`.
    public static func pendingPositions(partition: Int32, in db: Database) throws -> [DeliveredPosition] {
        let known = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT d.topic, d.partition, d.next_offset FROM outbox_delivered d
            WHERE EXISTS (SELECT 1 FROM outbox o WHERE o.published_at IS NULL AND o.topic = d.topic)
            """)).map { DeliveredPosition(topic: $0[0], partition: $0[1], nextOffset: $0[2]) }
        let unknown = try String.fetchAll(db.cachedStatement(sql: """
            SELECT DISTINCT o.topic FROM outbox o
            WHERE o.published_at IS NULL AND NOT EXISTS (SELECT 1 FROM outbox_delivered d WHERE d.topic = o.topic)
            """))
        return known + unknown.map { DeliveredPosition(topic: $0, partition: partition, nextOffset: 0) }
    }

    public static func markPublished(_ seqs: [Int64], in db: Database) throws {
        guard !seqs.isEmpty else { return }
        let now = Date().timeIntervalSince1970
        let statement = try db.cachedStatement(sql: "UPDATE outbox SET published_at = ? WHERE seq BETWEEN ? AND ?")
        for run in runs(of: seqs) { try statement.execute(arguments: [now, run.lowerBound, run.upperBound]) }
    }

    /// Deletes published changelog rows: they are in Kafka now, where they are kept, and
    /// no copy of their sealed values stays behind.
    public static func deletePublished(_ seqs: [Int64], in db: Database) throws {
        let statement = try db.cachedStatement(sql: "DELETE FROM outbox WHERE seq BETWEEN ? AND ?")
        for run in runs(of: seqs) { try statement.execute(arguments: [run.lowerBound, run.upperBound]) }
    }

    /// `seqs` as ranges of consecutive values, each holding only seqs of the list: a relay
    /// publishes a store's rows in commit order, so a batch is mostly one range, and one
    /// statement with a constant text (cached) replaces a text of 500 placeholders
    /// prepared anew per batch.
    static func runs(of seqs: [Int64]) -> [ClosedRange<Int64>] {
        var runs: [ClosedRange<Int64>] = []
        for seq in seqs.sorted() {
            if let last = runs.last, seq <= last.upperBound + 1 {
                if seq > last.upperBound { runs[runs.count - 1] = last.lowerBound...seq }
            } else {
                runs.append(seq...seq)
            }
        }
        return runs
    }

    public static func backlog(in db: Database) throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM outbox WHERE published_at IS NULL")) ?? 0
    }

    /// Deletes published records older than `age`; unpublished ones are never deleted.
    @discardableResult
    public static func prunePublished(olderThan age: TimeInterval, in db: Database) throws -> Int {
        try db.execute(sql: "DELETE FROM outbox WHERE published_at IS NOT NULL AND published_at < ?",
                       arguments: [Date().timeIntervalSince1970 - age])
        return db.changesCount
    }
}
