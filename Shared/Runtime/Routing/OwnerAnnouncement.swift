public import Foundation

/// What a replica says of itself on its service's owners topic (keyed by ``replica``): the
/// partition stores it owns, where its HTTP API answers, and the data directory it shares
/// with the replicas of its host (``volume``), whose stores it can read as they write them.
/// A replica repeats it every second while it lives and withdraws it (a tombstone) when it stops.
public struct OwnerAnnouncement: Codable, Sendable, Equatable {
    public var replica: String
    public var address: URL
    public var volume: String
    public var partitions: [Int32]

    public init(replica: String, address: URL, volume: String, partitions: [Int32]) {
        self.replica = replica
        self.address = address
        self.volume = volume
        self.partitions = partitions
    }
}
