/// Checks an exported audit trail: each entry's hash matches its content, and names the
/// hash of the entry before it. Entries past their retention (``AuditEntry/pruned``) have
/// no content left to hash: they must come first, and still link.
public enum AuditChain {
    public enum Verdict: Sendable, Equatable {
        /// Every entry holds; `head` is the last hash (record it to detect a truncated tail later).
        case intact(entries: Int, head: String)
        /// The first entry that does not hold, and why.
        case broken(seq: Int64, reason: String)
    }

    public static func verify(_ entries: [AuditEntry]) -> Verdict {
        var previous = AuditEntry.genesis
        var expectedSeq: Int64 = 1
        var live = false
        for entry in entries {
            if entry.seq != expectedSeq {
                return .broken(seq: entry.seq, reason: "expected entry \(expectedSeq) here: entries are missing or reordered")
            }
            if entry.previousHash != previous {
                return .broken(seq: entry.seq, reason: "it does not name the hash of the entry before it")
            }
            if entry.pruned {
                // Retention empties the oldest entries first: one emptied after a kept one hides it.
                if live { return .broken(seq: entry.seq, reason: "it was emptied after an entry that was kept: only the oldest are pruned") }
            } else if entry.computedHash() != entry.hash {
                return .broken(seq: entry.seq, reason: "its content does not match its hash: the entry was altered")
            }
            live = live || !entry.pruned
            previous = entry.hash
            expectedSeq += 1
        }
        return .intact(entries: entries.count, head: previous)
    }
}
