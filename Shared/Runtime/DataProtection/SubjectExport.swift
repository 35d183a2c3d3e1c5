public import Foundation
public import GRDB
public import HomewardModel
public import HomewardStore

/// Everything a service's partition store holds on one case, for its subject export
/// (``SubjectExportPart``): every table of the service's schema that names the case, then
/// the runtime's own (the case's audit entries here, the answers kept for idempotent
/// retries). Read from the schema's lists, not chosen column by column, so that a table or
/// a sealed column added later is exported without a change here; its sections and fields
/// are named as the tables and columns are.
public struct SubjectExport: Sendable {
    public let service: ServiceName
    /// The service's tables, each with the case of its rows (``ServiceSchema/partitionedTables``).
    let tables: [PartitionedTable]
    /// Every sealed column, opened as it is read; their keyed hashes are left out (a digest
    /// under the service's key says nothing to the person).
    let sealed: [SealedColumn]

    public init(service: ServiceName, tables: [PartitionedTable], sealed: [SealedColumn]) {
        self.service = service
        self.tables = tables
        self.sealed = sealed + KeyRotation.runtimeColumns
    }

    /// A document's bytes, in chunks, are exported by reference: its `document` row's `content`.
    static let byReference: Set<String> = ["document_chunk"]

    /// The runtime's tables that name a case, each in time order.
    static let runtimeTables: [(table: PartitionedTable, order: String)] = [
        (PartitionedTable("audit_trail"), "at, seq"), (PartitionedTable("idempotency"), "created_at"),
    ]

    /// The case's part, or nil when no table of the service names it (its audit entries
    /// alone, of requests for an unknown case, make no part).
    public func read(_ caseID: CaseID, requestedBy: String, at now: Date, in db: Database) throws -> SubjectExportPart? {
        var sections: [String: [[String: JSONValue]]] = [:]
        for table in tables where !Self.byReference.contains(table.table) {
            sections[table.table] = try rows(of: table, caseID, in: db)
        }
        guard sections.values.contains(where: { !$0.isEmpty }) else { return nil }
        for (table, order) in Self.runtimeTables {
            sections[table.table] = try rows(of: table, caseID, order: order, in: db)
        }
        sections["document"] = sections["document"]?.map { document in
            var document = document
            if case .string(let id) = document["document_id"] { document["content"] = .string("/cases/\(caseID)/documents/\(id)") }
            return document
        }
        let erasedAt = try Double.fetchOne(db, sql: "SELECT erased_at FROM document_erasure WHERE case_id = ?", arguments: [caseID.rawValue])
        return SubjectExportPart(service: service, caseID: caseID, requestedBy: requestedBy, exportedAt: now,
                                 erasedAt: erasedAt.map(Date.init(timeIntervalSince1970:)), tables: sections)
    }

    /// The table's rows of the case, every column but the keyed hashes, sealed ones opened.
    private func rows(of table: PartitionedTable, _ caseID: CaseID, order: String? = nil, in db: Database) throws -> [[String: JSONValue]] {
        let sealed = Dictionary(uniqueKeysWithValues: self.sealed.filter { $0.table == table.table }.map { ($0.column, $0) })
        let hashes = Set(sealed.values.compactMap(\.searchHash))
        let selected = try db.columns(in: table.table).map(\.name).filter { !hashes.contains($0) }.map { column in
            guard let seal = sealed[column] else { return "\"\(column)\"" }
            return "\(seal.isBlob ? "hw_open_blob" : "hw_open")(\"\(column)\", '\(seal.label)') AS \"\(column)\""
        }
        let sql = "SELECT \(selected.joined(separator: ", ")) FROM \(table.table) WHERE \(table.caseID) = ?" + (order.map { " ORDER BY \($0)" } ?? "")
        return try Row.fetchAll(db, sql: sql, arguments: [caseID.rawValue]).map { row in
            Dictionary(row.map { column, value in (column, Self.json(value, column: column)) }) { first, _ in first }
        }
    }

    /// A stored value as JSON: instants (seconds since 1970 in a column named for one) as
    /// UTC text, stored JSON (facts, results, segments, a kept answer) as JSON, bytes that
    /// are not JSON in base64, the rest as it is.
    static func json(_ value: DatabaseValue, column: String) -> JSONValue {
        switch value.storage {
        case .null: .null
        case .int64(let number): isInstant(column) ? .string(Instant.format(Date(timeIntervalSince1970: Double(number)))) : .integer(number)
        case .double(let number): isInstant(column) ? .string(Instant.format(Date(timeIntervalSince1970: number))) : .number(number)
        case .string(let text): embedded(Data(text.utf8)) ?? .string(text)
        case .blob(let bytes): embedded(bytes) ?? .string(bytes.base64EncodedString())
        }
    }

    /// The stores' instants: `at`, `…_at`, and the bounds `…_by`, `…_from`, `…_to`, `…_until`.
    static func isInstant(_ column: String) -> Bool {
        column == "at" || ["_at", "_by", "_from", "_to", "_until"].contains { column.hasSuffix($0) }
    }

    private static func embedded(_ bytes: Data) -> JSONValue? {
        guard let first = bytes.first, first == UInt8(ascii: "{") || first == UInt8(ascii: "[") else { return nil }
        return try? JSONDecoder().decode(JSONValue.self, from: bytes)
    }
}
