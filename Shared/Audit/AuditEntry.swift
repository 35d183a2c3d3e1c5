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
    public func computedHash() -> String {
        let fields: [String] = [String(seq), at, actor, roles.joined(separator: ","), action, path, caseID ?? "", from, String(outcome), previousHash]
            + (actorName.map { [$0] } ?? [])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let bytes = (try? encoder.encode(fields)) ?? Data()
        return SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }
}
