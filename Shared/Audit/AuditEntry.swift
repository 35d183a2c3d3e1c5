import Foundation
import Crypto

/// One line of a service's audit trail: who did what to which case, when, from where,
/// with what outcome. Each entry carries the hash of the one before, so a changed,
/// removed or inserted row breaks the chain from that row on (``AuditChain``).
public struct AuditEntry: Codable, Sendable, Equatable {
    /// Position in the trail, from 1, without gaps.
    public var seq: Int64
    /// When, RFC 3339 UTC with milliseconds.
    public var at: String
    /// The token's subject.
    public var actor: String
    /// The token's display name (claim `name`), when it carries one.
    public var actorName: String?
    public var roles: [String]
    /// The endpoint, as routed: `GET /cases/:caseID`.
    public var action: String
    /// The path called, ids included, query left out (a search may carry a name).
    public var path: String
    public var caseID: String?
    /// The caller's address; behind the gateway, `client via gateway`.
    public var from: String
    /// The HTTP status answered.
    public var outcome: Int
    public var previousHash: String
    public var hash: String
    /// Which of the service's chains the entry is in (`service`, `partition-03`): each
    /// store keeps a chain of its own. Not hashed: it says where the entry was read.
    public var chain: String?

    /// The `previousHash` of the first entry.
    public static let genesis = String(repeating: "0", count: 64)

    /// The `action` of an entry past its retention, whose content was emptied
    /// (``AuditTrail``'s `prune`): no route is named so.
    public static let prunedAction = "pruned"

    /// Whether the entry is past its retention: its `seq`, `at` and hashes kept, the rest
    /// emptied, so that its hash no longer matches a content but the chain still links.
    public var pruned: Bool { action == Self.prunedAction && actor.isEmpty && path.isEmpty }

    public init(seq: Int64, at: String, actor: String, actorName: String? = nil, roles: [String], action: String, path: String, caseID: String?,
                from: String, outcome: Int, previousHash: String) {
        self.seq = seq
        self.at = at
        self.actor = actor
        self.actorName = actorName
        self.roles = roles
        self.action = action
        self.path = path
        self.caseID = caseID
        self.from = from
        self.outcome = outcome
        self.previousHash = previousHash
        self.hash = ""
        self.hash = computedHash()
    }

    /// SHA-256 over every field but `hash`, in a fixed order, as a JSON array; the display
    /// name last, and only when there is one, so that entries from before it keep their hash.
    /// The array's bytes are those `JSONEncoder` writes without escaping slashes, written
    /// here directly: every request appends an entry, and this hash through the encoder was
    /// about 3 % of the services' CPU under journeys (`perf`, 2026-12-07).
    public func computedHash() -> String {
        var json: [UInt8] = [UInt8(ascii: "[")]
        json.reserveCapacity(256)
        let fields: [String] = [String(seq), at, actor, roles.joined(separator: ","), action, path, caseID ?? "", from, String(outcome), previousHash]
            + (actorName.map { [$0] } ?? [])
        for (index, field) in fields.enumerated() {
            if index > 0 { json.append(UInt8(ascii: ",")) }
            Self.appendJSONString(field, to: &json)
        }
        json.append(UInt8(ascii: "]"))
        var hex = [UInt8]()
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: json) {
            hex.append(Self.hexDigits[Int(byte >> 4)])
            hex.append(Self.hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// A JSON string as `JSONEncoder` writes it: quote, backslash and control characters
    /// escaped (the short forms where JSON has them, else `\u00xx`), everything else as is.
    static func appendJSONString(_ string: String, to json: inout [UInt8]) {
        json.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): json.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): json.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x08: json.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x09: json.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x0A: json.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0C: json.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x0D: json.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x00..<0x20: json.append(contentsOf: Array("\\u00".utf8) + [hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]])
            default: json.append(byte)
            }
        }
        json.append(UInt8(ascii: "\""))
    }
}
