import Foundation
import GRDB
import HomewardModel
import HomewardStore
import StageProbeKit
import TestSupport
import Testing

@Suite("Store: outbox, inbox, lease")
struct StoreTests {
    func makeStore() throws -> Store {
        try Store(path: try makeWorkDirectory("store").appendingPathComponent("s.sqlite").path)
    }

    @Test func outboxReturnsUnpublishedInCommitOrder() throws {
        let store = try makeStore()
        let events = (1...5).map { CloudEvent(caseID: "c", data: ProbeApplied(requestID: "r\($0)", seq: $0)) }
        try store.write { db in for e in events { try Outbox.append(e, in: db) } }
        var pending = try store.read { db in try Outbox.unpublished(limit: 10, in: db) }
        #expect(pending.map(\.eventID) == events.map(\.id.rawValue))
        #expect(pending.allSatisfy { $0.key == "c" && $0.topic == "homeward.health-screening.events" })
        try store.write { db in try Outbox.markPublished(pending.prefix(2).map(\.seq), in: db) }
        pending = try store.read { db in try Outbox.unpublished(limit: 10, in: db) }
        #expect(pending.map(\.eventID) == events.dropFirst(2).map(\.id.rawValue))
        #expect(try store.read { db in try Outbox.backlog(in: db) } == 3)
    }

    /// Rows are marked by ranges of consecutive seqs: a batch with holes (rows of another
    /// writer, changelog rows sent apart) marks only its own, in any order, repeats harmless.
    @Test func markingPublishedTouchesOnlyTheSeqsNamed() throws {
        let store = try makeStore()
        let events = (1...9).map { CloudEvent(caseID: "c", data: ProbeApplied(requestID: "r\($0)", seq: $0)) }
        try store.write { db in for e in events { try Outbox.append(e, in: db) } }
        let seqs = try store.read { db in try Outbox.unpublished(limit: 10, in: db) }.map(\.seq)
        try store.write { db in try Outbox.markPublished([seqs[7], seqs[0], seqs[1], seqs[3], seqs[1], seqs[4]], in: db) }
        #expect(try store.read { db in try Outbox.unpublished(limit: 10, in: db) }.map(\.seq) == [seqs[2], seqs[5], seqs[6], seqs[8]])
        try store.write { db in try Outbox.deletePublished([seqs[6], seqs[5]], in: db) }
        #expect(try store.read { db in try Outbox.unpublished(limit: 10, in: db) }.map(\.seq) == [seqs[2], seqs[8]])
        #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox") } == 7)
    }

    @Test func aRolledBackTransactionLeavesNoOutboxRow() throws {
        let store = try makeStore()
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try store.write { db in
                try Outbox.append(CloudEvent(caseID: "c", data: ProbeApplied(requestID: "r", seq: 1)), in: db)
                throw Boom()
            }
        }
        #expect(try store.read { db in try Outbox.backlog(in: db) } == 0)
    }

    @Test func inboxRemembersEventIDs() throws {
        let store = try makeStore()
        try store.write { db in try Inbox.record("e1", group: "g", outcome: .applied, in: db) }
        #expect(try store.read { db in try Inbox.contains("e1", in: db) })
        #expect(try !store.read { db in try Inbox.contains("e2", in: db) })
        #expect(throws: DatabaseError.self) {
            try store.write { db in try Inbox.record("e1", group: "g", outcome: .applied, in: db) }
        }
    }

    /// Once Kafka keeps an event no longer, the inbox forgets it; younger ones are kept.
    @Test func inboxForgetsEventsOlderThanItsRetention() throws {
        let store = try makeStore()
        try store.write { db in
            try Inbox.record("old", group: "g", outcome: .applied, in: db)
            try db.execute(sql: "UPDATE inbox SET received_at = received_at - 121 * 86400 WHERE event_id = 'old'")
            try Inbox.record("new", group: "g", outcome: .deadLettered, in: db)
        }
        #expect(try store.write { db in try Inbox.prune(olderThan: 120 * 86_400, in: db) } == 1)
        #expect(try store.read { db in try !Inbox.contains("old", in: db) && Inbox.contains("new", in: db) })
    }

    @Test func leaseHasOneHolderUntilItExpires() throws {
        let store = try makeStore()
        #expect(try store.write { db in try Lease.acquire("outbox", holder: "a", for: 0.3, in: db) })
        #expect(try !store.write { db in try Lease.acquire("outbox", holder: "b", for: 0.3, in: db) })
        #expect(try store.write { db in try Lease.acquire("outbox", holder: "a", for: 0.3, in: db) })
        Thread.sleep(forTimeInterval: 0.4)
        #expect(try store.write { db in try Lease.acquire("outbox", holder: "b", for: 10, in: db) })
        try store.write { db in try Lease.release("outbox", holder: "b", in: db) }
        #expect(try store.write { db in try Lease.acquire("outbox", holder: "a", for: 10, in: db) })
    }

    @Test func twoConnectionsShareOneStoreFile() throws {
        let path = try makeWorkDirectory("shared").appendingPathComponent("s.sqlite").path
        let a = try Store(path: path)
        let b = try Store(path: path)
        try a.write { db in try Inbox.record("from-a", group: "g", outcome: .applied, in: db) }
        #expect(try b.read { db in try Inbox.contains("from-a", in: db) })
        #expect(try a.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") } == "wal")
    }
}

extension StoreTests {
    @Test func pruningDeletesOnlyOldPublishedRows() throws {
        let store = try makeStore()
        let events = (1...3).map { CloudEvent(caseID: "c", data: ProbeApplied(requestID: "r\($0)", seq: $0)) }
        try store.write { db in for e in events { try Outbox.append(e, in: db) } }
        let rows = try store.read { db in try Outbox.unpublished(limit: 10, in: db) }
        try store.write { db in try Outbox.markPublished([rows[0].seq, rows[1].seq], in: db) }
        #expect(try store.write { db in try Outbox.prunePublished(olderThan: 3600, in: db) } == 0, "recently published rows stay")
        Thread.sleep(forTimeInterval: 0.05)
        #expect(try store.write { db in try Outbox.prunePublished(olderThan: 0.01, in: db) } == 2)
        #expect(try store.read { db in try Outbox.unpublished(limit: 10, in: db) }.map(\.eventID) == [events[2].id.rawValue])
    }
}
