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

        // b not heard from for longer than staleAfter while a went on announcing each second: a owns 1 again.
        for second in 1...4 { directory.apply(replica: "a", value: Self.record("a", [0, 1]), offset: 2 + Int64(second), at: start.advanced(by: .seconds(second))) }
        let later = start.advanced(by: .seconds(4))
        #expect(directory.owner(of: 1, at: later)?.replica == "a")

        directory.apply(replica: "a", value: Data(), offset: 7, at: later)
        #expect(directory.owner(of: 0, at: later) == nil, "withdrawn")
        directory.apply(replica: "c", value: Self.record("a", [0]), offset: 8, at: later)
        #expect(directory.owner(of: 0, at: later) == nil, "a record under another replica's key")
    }

    /// A broker outage silences every replica at once: no claim lapses while nothing
    /// arrives, and once records flow again each replica has `staleAfter` to be heard.
    @Test func aClaimOutlivesABrokerOutageUntilItsReplicaHadTheTimeToSpeak() {
        let directory = OwnerDirectory(staleAfter: .seconds(3))
        let start = ContinuousClock.now
        directory.apply(replica: "a", value: Self.record("a", [0]), offset: 0, at: start)
        directory.apply(replica: "b", value: Self.record("b", [1], host: "h2"), offset: 1, at: start)
        let silent = start.advanced(by: .seconds(8))
        #expect(directory.claimants(of: 1, at: silent).map(\.replica) == ["b"], "nothing arrived: b's claim stands")

        // The broker is back; a is heard first.
        directory.apply(replica: "a", value: Self.record("a", [0]), offset: 2, at: silent)
        #expect(directory.claimants(of: 1, at: silent.advanced(by: .seconds(1))).map(\.replica) == ["b"], "b has not had 3 s to speak")
        for second in 1...4 { directory.apply(replica: "a", value: Self.record("a", [0]), offset: 2 + Int64(second), at: silent.advanced(by: .seconds(second))) }
        #expect(directory.claimants(of: 1, at: silent.advanced(by: .seconds(4))).isEmpty, "b silent for 4 s of flow: gone")
    }
}

/// Which standby copies a replica keeps, worked out from the owners directory alone: the
/// data directories after the owner's, one replica per directory, never the owner's own.
@Suite("Standby replicas")
struct StandbyReplicasTests {
    static func replica(_ name: String, on host: String, owning partitions: [Int32] = []) -> OwnerAnnouncement {
        OwnerAnnouncement(replica: name, address: URL(string: "http://\(host):8081")!, volume: host, partitions: partitions)
    }

    static let live = [replica("a1", on: "a", owning: [0, 1]), replica("a2", on: "a", owning: [2]),
                       replica("b1", on: "b", owning: [3]), replica("c1", on: "c", owning: [4, 5])]
    static var owners: [Int32: OwnerAnnouncement] {
        var owners: [Int32: OwnerAnnouncement] = [:]
        for announcement in live { for partition in announcement.partitions { owners[partition] = announcement } }
        return owners
    }

    @Test func oneCopyGoesToTheNextDirectoryAndItsFirstReplica() {
        func kept(_ replica: String) -> [Int32] { StandbyReplicas.partitions(for: replica, count: 1, live: Self.live, owners: Self.owners) }
        #expect(kept("b1") == [0, 1, 2], "b follows a")
        #expect(kept("c1") == [3], "c follows b")
        #expect(kept("a1") == [4, 5], "a follows c, wrapping round")
        #expect(kept("a2") == [], "a's copies are kept by its first replica only")
    }

    @Test func moreCopiesThanOtherDirectoriesMeansOneInEach() {
        for count in [2, 5] {
            func kept(_ replica: String) -> [Int32] { StandbyReplicas.partitions(for: replica, count: count, live: Self.live, owners: Self.owners) }
            #expect(kept("a1") == [3, 4, 5])
            #expect(kept("b1") == [0, 1, 2, 4, 5])
            #expect(kept("c1") == [0, 1, 2, 3])
        }
    }

    @Test func noCopiesWithoutASettingAnotherDirectoryOrAnAnnouncementOfItsOwn() {
        #expect(StandbyReplicas.partitions(for: "b1", count: 0, live: Self.live, owners: Self.owners) == [])
        let alone = [Self.replica("a1", on: "a", owning: [0]), Self.replica("a2", on: "a", owning: [1])]
        #expect(StandbyReplicas.partitions(for: "a1", count: 1, live: alone, owners: [0: alone[0], 1: alone[1]]) == [])
        #expect(StandbyReplicas.partitions(for: "z1", count: 1, live: Self.live, owners: Self.owners) == [], "not heard from itself yet")
    }
}
