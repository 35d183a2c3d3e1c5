public import Foundation
public import GRDB
public import HomewardModel
import Crypto

/// The documents kept for a case, in the case's partition store (so they move, are
/// restored and are erased with it), each as a record and its content in chunks.
///
/// Chunks, because every row of a partition store is captured into its changelog topic
/// (``ChangelogCapture``): one row is one Kafka record, and a record stays well under
/// Kafka's default limit of about 1 MB (`message.max.bytes`). A chunk holds
/// ``chunkSize`` bytes, sealed (``FieldCipher``: base64 of the ciphertext, about 256 KiB
/// of text); a store opened without keys keeps them clear, hex-encoded in the changelog
/// (384 KiB). The embedded broker of local runs keeps at most 5 MiB per partition, so a
/// changelog restore there may lack an older document's chunks: real Kafka keeps a
/// compacted changelog whole.
///
/// Sealed at rest: the content (``sealedColumns``; the key rotation sweep re-seals it). In
/// clear: the kind, the traveller or disbursement it concerns, the media type, the size,
/// the SHA-256 of the bytes, when and by whom it was uploaded. No file name is kept.
public enum DocumentStore {
    /// The bytes of one chunk row.
    public static let chunkSize = 192 * 1024

    public static let sealedColumns = [SealedColumn("document_chunk", "content", rowKey: "(document_id, position)", isBlob: true)]

    /// Every table, each naming its case.
    public static let tables = ["document_chunk", "document", "document_erasure"]

    /// The tables, after the service's own (the names are shared by every service that keeps documents).
    public static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("documents-v1") { db in
            try db.execute(sql: """
                CREATE TABLE document (
                    document_id TEXT PRIMARY KEY,
                    case_id TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    traveller_id TEXT,
                    disbursement_id TEXT,
                    media_type TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    sha256 TEXT NOT NULL,
                    chunks INTEGER NOT NULL,
                    uploaded_at REAL NOT NULL,
                    uploaded_by TEXT NOT NULL
                );
                CREATE INDEX document_case ON document(case_id, uploaded_at);
                CREATE TABLE document_chunk (
                    document_id TEXT NOT NULL,
                    position INTEGER NOT NULL,
                    case_id TEXT NOT NULL,
                    content BLOB NOT NULL,
                    PRIMARY KEY (document_id, position)
                ) WITHOUT ROWID;
                CREATE INDEX document_chunk_case ON document_chunk(case_id);
                CREATE TABLE document_erasure (
                    case_id TEXT PRIMARY KEY,
                    erased_at REAL NOT NULL
                ) WITHOUT ROWID;
                """)
        }
    }

    /// SHA-256 of `content`, lower-case hex.
    public static func sha256(_ content: Data) -> String { SealingFunctions.unkeyed(content) }

    /// Keeps `content` as document `view` (its size and digest as the view states them).
    public static func insert(_ view: DocumentView, content: Data, in db: Database) throws {
        let chunks = stride(from: 0, to: content.count, by: chunkSize).map { content[content.startIndex + $0 ..< content.startIndex + min($0 + chunkSize, content.count)] }
        try db.cachedStatement(sql: """
            INSERT INTO document (document_id, case_id, kind, traveller_id, disbursement_id, media_type, size, sha256, chunks, uploaded_at, uploaded_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [view.documentID.rawValue, view.caseID.rawValue, view.kind.rawValue, view.travellerID?.rawValue,
                                     view.disbursementID?.rawValue, view.mediaType.rawValue, view.size, view.sha256, chunks.count,
                                     view.uploadedAt.timeIntervalSince1970, view.uploadedBy])
        let insertChunk = try db.cachedStatement(sql: """
            INSERT INTO document_chunk (document_id, position, case_id, content) VALUES (?, ?, ?, hw_seal(?, 'document_chunk.content'))
            """)
        for (position, chunk) in chunks.enumerated() {
            try insertChunk.execute(arguments: [view.documentID.rawValue, position, view.caseID.rawValue, Data(chunk)])
        }
    }

    private static let columns = "document_id, case_id, kind, traveller_id, disbursement_id, media_type, size, sha256, uploaded_at, uploaded_by"

    /// The case's documents, oldest first.
    public static func list(_ caseID: CaseID, in db: Database) throws -> [DocumentView] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT \(columns) FROM document WHERE case_id = ? ORDER BY uploaded_at, document_id"),
                         arguments: [caseID.rawValue]).compactMap(view)
    }

    /// One of the case's documents.
    public static func find(_ documentID: DocumentID, of caseID: CaseID, in db: Database) throws -> DocumentView? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT \(columns) FROM document WHERE document_id = ? AND case_id = ?"),
                         arguments: [documentID.rawValue, caseID.rawValue]).flatMap(view)
    }

    /// A document's bytes, its chunks opened and joined; nil when a chunk is missing or
    /// the bytes are not the ones recorded (size or digest).
    public static func content(of document: DocumentView, in db: Database) throws -> Data? {
        let chunks = try Data.fetchAll(db.cachedStatement(sql: """
            SELECT hw_open_blob(content, 'document_chunk.content') FROM document_chunk WHERE document_id = ? ORDER BY position
            """), arguments: [document.documentID.rawValue])
        var content = Data(capacity: document.size)
        for chunk in chunks { content.append(chunk) }
        guard content.count == document.size, sha256(content) == document.sha256 else { return nil }
        return content
    }

    /// The kinds of the case's documents.
    public static func kinds(of caseID: CaseID, in db: Database) throws -> Set<DocumentKind> {
        Set(try String.fetchAll(db.cachedStatement(sql: "SELECT DISTINCT kind FROM document WHERE case_id = ?"), arguments: [caseID.rawValue])
            .compactMap(DocumentKind.init(rawValue:)))
    }

    /// Deletes the case's documents, and remembers that they were erased so that none is
    /// uploaded to the case again. (The store deletes securely: the bytes are overwritten.)
    /// Every service's erasure ends here, so the erasure is recorded in the service's
    /// ``ErasureLedger`` here too, and `document_erasure` is what says a store has applied it.
    public static func erase(_ caseID: CaseID, at now: Date, in db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM document_chunk WHERE case_id = ?").execute(arguments: [caseID.rawValue])
        try db.cachedStatement(sql: "DELETE FROM document WHERE case_id = ?").execute(arguments: [caseID.rawValue])
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO document_erasure (case_id, erased_at) VALUES (?, ?)")
            .execute(arguments: [caseID.rawValue, now.timeIntervalSince1970])
        try db.cachedStatement(sql: "SELECT hw_record_erasure(?, ?)").execute(arguments: [caseID.rawValue, now.timeIntervalSince1970])
    }

    /// Whether the case's documents were erased.
    public static func isErased(_ caseID: CaseID, in db: Database) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM document_erasure WHERE case_id = ?)"),
                          arguments: [caseID.rawValue]) ?? false
    }

    private static func view(_ row: Row) -> DocumentView? {
        guard let kind = DocumentKind(rawValue: row["kind"]), let mediaType = DocumentMediaType(rawValue: row["media_type"]) else { return nil }
        return DocumentView(documentID: DocumentID(row["document_id"] as String), caseID: CaseID(row["case_id"] as String), kind: kind,
                            travellerID: (row["traveller_id"] as String?).map(TravellerID.init(rawValue:)),
                            disbursementID: (row["disbursement_id"] as String?).map(DisbursementID.init(rawValue:)),
                            mediaType: mediaType, size: row["size"], sha256: row["sha256"],
                            uploadedAt: Date(timeIntervalSince1970: row["uploaded_at"]), uploadedBy: row["uploaded_by"])
    }
}
