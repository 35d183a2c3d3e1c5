import Crypto
import Foundation
import HomewardAudit
import Testing

/// An entry's hash is written without JSONEncoder; it must stay the hash of the bytes
/// JSONEncoder wrote, or every trail recorded before would read as altered.
@Suite("Audit entry hash")
struct AuditHashTests {
    /// The hash as it was first defined: SHA-256 of JSONEncoder's array of the fields.
    static func reference(_ entry: AuditEntry) throws -> String {
        let fields: [String] = [String(entry.seq), entry.at, entry.actor, entry.roles.joined(separator: ","), entry.action, entry.path,
                                entry.caseID ?? "", entry.from, String(entry.outcome), entry.previousHash] + (entry.actorName.map { [$0] } ?? [])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return SHA256.hash(data: try encoder.encode(fields)).map { String(format: "%02x", $0) }.joined()
    }

    @Test func theHashIsTheOneOfJSONEncodersBytesWhateverTheCharacters() throws {
        let awkward = String((0..<128).map { Character(Unicode.Scalar(UInt8($0))) }) + "é€😀\u{2028}/\\\"\u{7F}"
        let entries = [
            AuditEntry(seq: 1, at: "2026-12-07T10:00:00.000Z", actor: "caseworker-1", roles: ["caseworker"], action: "GET /cases/:caseID",
                       path: "/cases/HW-1", caseID: "HW-1", from: "127.0.0.1", outcome: 200, previousHash: AuditEntry.genesis),
            AuditEntry(seq: 2, at: awkward, actor: awkward, actorName: "Zoë \"Z\" O'Brien\n", roles: ["a", awkward], action: awkward,
                       path: "/a/b\\c", caseID: nil, from: "10.0.0.1 via 127.0.0.1", outcome: 503, previousHash: String(repeating: "f", count: 64)),
        ]
        for entry in entries {
            #expect(entry.hash == (try Self.reference(entry)))
            #expect(entry.computedHash() == entry.hash)
        }
    }
}
