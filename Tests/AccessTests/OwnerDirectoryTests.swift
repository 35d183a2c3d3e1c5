import Foundation
import HomewardRuntime
import Testing

/// Who owns a partition, as the owners topic says: the later claim wins, a replica not
/// heard from for a while owns nothing, a tombstone withdraws it, a record under another
/// replica's key is ignored.
@Suite("Owner directory")
struct OwnerDirectoryTests {
    static func record(_ replica: String, _ partitions: [Int32], host: String = "h1") -> Data {
        try! JSONEncoder().encode(OwnerAnnouncement(replica: replica, address: URL(string: "http://\(host):8081")!, volume: host, partitions: partitions))
    }

    @Test func theLaterClaimWinsAStaleOrWithdrawnReplicaOwnsNothing() {
        let directory = OwnerDirectory(staleAfter: .seconds(3))
        let start = ContinuousClock.now
        directory.apply(replica: "a", value: Self.record("a", [0, 1]), offset: 0, at: start)
        directory.apply(replica: "b", value: Self.record("b", [1], host: "h2"), offset: 1, at: start)
        // a repeats its claim on 1 (it has not let go yet): its claim still began earlier.
        directory.apply(replica: "a", value: Self.record("a", [0, 1]), offset: 2, at: start)
        #expect(directory.owner(of: 1, at: start)?.replica == "b")
        #expect(directory.owner(of: 0, at: start)?.replica == "a")
        #expect(directory.owner(of: 2, at: start) == nil)

        // b not heard from for longer than staleAfter: a, still heard, owns 1 again.
        let later = start.advanced(by: .seconds(4))
        directory.apply(replica: "a", value: Self.record("a", [0, 1]), offset: 3, at: later)
        #expect(directory.owner(of: 1, at: later)?.replica == "a")

        directory.apply(replica: "a", value: Data(), offset: 4, at: later)
        #expect(directory.owner(of: 0, at: later) == nil, "withdrawn")
        directory.apply(replica: "c", value: Self.record("a", [0]), offset: 5, at: later)
        #expect(directory.owner(of: 0, at: later) == nil, "a record under another replica's key")
    }
}
