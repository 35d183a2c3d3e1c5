public import GRDB
public import HomewardAudit

/// The audit trail table: append-only through this type (nothing here updates or deletes).
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
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM audit_trail WHERE seq > ? ORDER BY seq LIMIT ?"), arguments: [seq, limit]).map { row in
            let roles: String = row["roles"]
            var entry = AuditEntry(seq: row["seq"], at: row["at"], actor: row["actor"], actorName: row["actor_name"], roles: roles.isEmpty ? [] : roles.split(separator: ",").map(String.init),
                                   action: row["action"], path: row["path"], caseID: row["case_id"], from: row["origin"], outcome: row["outcome"],
                                   previousHash: row["previous_hash"])
            entry.hash = row["hash"]   // as stored: verification compares it with the content
            return entry
        }
    }
}
