import Foundation
import GRDB
public import HomewardModel
public import HomewardRuntime
public import HomewardStore

/// A service's subject export read straight from a store, for its workflow tests: the
/// store seals as a service's does, and the export opens what it sealed.
public enum SubjectExports {
    /// A new store with the service's tables, sealing under a test key.
    public static func sealedStore(_ service: ServiceName, _ schema: any ServiceSchema.Type) throws -> Store {
        try Store(path: try makeWorkDirectory("\(service.rawValue)-export").appendingPathComponent("s.sqlite").path,
                  cipher: try FieldCipher(keys: [("k1", Data(repeating: 7, count: 32))], active: "k1", service: service.rawValue),
                  migrations: { schema.register(in: &$0) })
    }

    /// The case's part as `GET /cases/{id}/subject-export` answers it; nil for a case the store does not name.
    public static func part(_ caseID: CaseID, of service: ServiceName, _ schema: any ServiceSchema.Type, in store: Store) throws -> SubjectExportPart? {
        let export = SubjectExport(service: service, tables: schema.partitionedTables, sealed: schema.sealedColumns)
        return try store.read { db in try export.read(caseID, requestedBy: "dpo-1", at: Instant.parse("2026-10-01T09:00:00.000Z")!, in: db) }
    }

    /// What the part lacks of the schema: a table without its section, a sealed column
    /// missing from a row or still sealed, a keyed hash that is there. Documents' chunks
    /// are exported by reference, not as a section.
    public static func gaps(in part: SubjectExportPart, _ schema: any ServiceSchema.Type) -> [String] {
        let sections = schema.partitionedTables.map(\.table).filter { $0 != "document_chunk" } + ["audit_trail", "idempotency"]
        var gaps = sections.filter { part.tables[$0] == nil }.map { "no section \($0)" }
        for column in schema.sealedColumns where !column.isBlob {
            for row in part.tables[column.table] ?? [] {
                switch row[column.column] {
                case nil: gaps.append("\(column.label) missing")
                case .string(let text)? where text.hasPrefix("v2."): gaps.append("\(column.label) sealed")
                default: break
                }
                if let hash = column.searchHash, row[hash] != nil { gaps.append("\(column.table).\(hash) exported") }
            }
        }
        return gaps
    }
}
