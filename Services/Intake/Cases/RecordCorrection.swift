import Foundation
import HomewardModel
import HomewardRuntime
import HomewardStore
import IntakeAPI

/// A correction applied to a record as registered: the merge patch on the recorded
/// fields, decoded as at registration. Refused, naming the field, when the patch names a
/// field the record does not have or leaves one that does not decode (a required field
/// removed, a value of the wrong type); the rules of registration are the caller's to check.
enum RecordCorrection {
    /// The corrected record and the names of its top-level fields whose value changed.
    static func apply<Record: Codable>(_ changes: [String: JSONValue], to record: Record) throws -> (corrected: Record, changed: [String]) {
        if let (field, allowed) = unknownField(of: changes, in: record, at: "") {
            throw IntakeRefusal.unknownField(at: field, allowed: allowed)
        }
        let recorded = try members(of: record)
        let corrected: Record
        do {
            corrected = try StoredJSON.value(Record.self, StoredJSON.text(JSONValue.object(recorded).merging(.object(changes))))
        } catch let error as DecodingError {
            throw Problem(decoding: error)
        }
        let kept = try members(of: corrected)
        return (corrected, Set(recorded.keys).union(kept.keys).filter { recorded[$0] != kept[$0] }.sorted())
    }

    private static func members(of record: some Encodable) throws -> [String: JSONValue] {
        guard case .object(let members) = try StoredJSON.value(JSONValue.self, StoredJSON.text(record)) else { return [:] }
        return members
    }

    /// The pointer of the first member of `patch`, at any depth, that `record` has no field
    /// for, with the fields it has there. A record's fields are its stored properties, as
    /// its synthesised coding keys name them.
    private static func unknownField(of patch: [String: JSONValue], in record: Any, at path: String) -> (String, [String])? {
        let fields = Mirror(reflecting: record).children.compactMap { child in child.label.map { ($0, child.value) } }.filter { !$0.0.hasPrefix("_") }
        for name in patch.keys.sorted() {
            guard let value = fields.first(where: { $0.0 == name })?.1 else { return (pointer(path, name), fields.map(\.0)) }
            if case .object(let inner) = patch[name], Mirror(reflecting: value).displayStyle == .struct,
               let found = unknownField(of: inner, in: value, at: pointer(path, name)) {
                return found
            }
        }
        return nil
    }

    /// `key` appended to the JSON pointer `path` (RFC 6901 escapes).
    private static func pointer(_ path: String, _ key: String) -> String {
        path + "/" + key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
}
