public import GRDB
public import HomewardAudit

/// The audit trail table: append-only through this type, but for ``prune(before:limit:in:)``,
/// which empties old entries past their retention and keeps their place in the chain.
public enum AuditTrail {
    /// Appends `entry`'s content as the next entry, chained to the last one; in the
    /// caller's write transaction, so replicas sharing the store append in turn.
    @discardableResult
    public static func append(at: String, actor: String, actorName: String? = nil, roles: [String], action: String, path: String,
                              caseID: String?, from: String, outcome: Int, in db: Database) throws -> AuditEntry {
        let last = try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, hash FROM audit_trail ORDER BY seq DESC LIMIT 1"))
        let entry = AuditEntry(seq: (last?["seq"] ?? 0) + 1, at: at, actor: actor, actorName: actorName, roles: roles, action: action, path: path,
                               caseID: caseID, from: from, outcome: outcome, previousHash: last?["hash"] ?? AuditEntry.genesis)
        try db.cachedStatement(sql: """
            INSERT INTO audit_trail (seq, at, actor, actor_name, roles, action, path, case_id, origin, outcome, previous_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [entry.seq, entry.at, entry.actor, entry.actorName, entry.roles.joined(separator: ","), entry.action, entry.path,
                             entry.caseID, entry.from, entry.outcome, entry.previousHash, entry.hash])
        return entry
    }

    /// Entries after `seq`, oldest first.
    public static func entries(after seq: Int64, limit: Int, in db: Database) throws -> [AuditEntry] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM audit_trail WHERE seq > ? ORDER BY seq LIMIT ?"), arguments: [seq, limit]).map(entry)
    }

    /// What an auditor asks of a trail: the entries of one case, of one actor, in a period;
    /// any of them, together. Instants are as `at` is written (``Instant/format``), so that
    /// they compare as text.
    public struct Filter: Sendable, Equatable {
        public var caseID: String?
        public var actor: String?
        /// From this instant on, included.
        public var from: String?
        /// Before this instant.
        public var to: String?

        public init(caseID: String? = nil, actor: String? = nil, from: String? = nil, to: String? = nil) {
            (self.caseID, self.actor, self.from, self.to) = (caseID, actor, from, to)
        }

        public var isEmpty: Bool { caseID == nil && actor == nil && from == nil && to == nil }
    }

    /// The entries matching `filter` in time order (then `seq`): the first `limit` later
    /// than `start` and, with a `start`, every one at `start` itself, for the caller to
    /// tell which of those its cursor passed (entries of several chains share an instant).
    /// Read through an index on `(case_id, at, seq)`, `(actor, at, seq)` or `(at, seq)`,
    /// never the whole trail.
    public static func entries(matching filter: Filter, from start: String?, limit: Int, in db: Database) throws -> [AuditEntry] {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        for (condition, value) in [("case_id = ?", filter.caseID), ("actor = ?", filter.actor), ("at >= ?", filter.from), ("at < ?", filter.to)] {
            if let value {
                conditions.append(condition)
                arguments += [value]
            }
        }
        func fetch(_ more: String, _ values: StatementArguments, tail: String) throws -> [AuditEntry] {
            let clauses = (conditions + [more]).joined(separator: " AND ")
            return try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM audit_trail WHERE \(clauses) \(tail)"), arguments: arguments + values).map(entry)
        }
        guard let start else { return try fetch("1", [limit], tail: "ORDER BY at, seq LIMIT ?") }
        return try fetch("at = ?", [start], tail: "ORDER BY seq") + fetch("at > ?", [start, limit], tail: "ORDER BY at, seq LIMIT ?")
    }

    /// Empties the content of the entries before the last one written before `cutoff` (at
    /// most `limit`, oldest first): who, what, which case and from where go; the entry's
    /// `seq`, `at`, hashes and place in the chain stay (``AuditEntry/pruned``), so the chain
    /// still verifies and shows what was pruned. Never the last entry, which the next one
    /// chains to. How many it emptied.
    public static func prune(before cutoff: String, limit: Int = 5_000, in db: Database) throws -> Int {
        try db.cachedStatement(sql: """
            UPDATE audit_trail SET actor = '', actor_name = NULL, roles = '', action = ?, path = '', case_id = NULL, origin = '', outcome = 0
            WHERE seq IN (
                SELECT seq FROM audit_trail WHERE action != ? AND seq < (SELECT max(seq) FROM audit_trail)
                    AND seq <= (SELECT max(seq) FROM audit_trail WHERE at < ?)
                ORDER BY seq LIMIT ?)
            """).execute(arguments: [AuditEntry.prunedAction, AuditEntry.prunedAction, cutoff, limit])
        return db.changesCount
    }

    private static func entry(_ row: Row) -> AuditEntry {
        let roles: String = row["roles"]
        var entry = AuditEntry(seq: row["seq"], at: row["at"], actor: row["actor"], actorName: row["actor_name"], roles: roles.isEmpty ? [] : roles.split(separator: ",").map(String.init),
                               action: row["action"], path: row["path"], caseID: row["case_id"], from: row["origin"], outcome: row["outcome"],
                               previousHash: row["previous_hash"])
        entry.hash = row["hash"]   // as stored: verification compares it with the content
        return entry
    }
}
