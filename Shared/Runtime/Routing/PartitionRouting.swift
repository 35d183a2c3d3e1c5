public import Foundation

/// Where a partition store can be answered from, seen from one replica.
public enum Placement: Sendable, Equatable {
    /// This replica owns it, or another replica sharing this host's data directory does:
    /// the store here is current.
    case here
    /// A replica on another host owns it: its HTTP API answers for it.
    case owner(URL)
    /// Nobody is known to own it now (it is moving, or its owner was just lost).
    case moving
}

/// Which replica answers for each partition: this one's ``PartitionOwnership``, then the
/// service's ``OwnerDirectory``. Replicas on one host share their stores, so a partition
/// owned by a replica with the same ``volume`` is answered here.
public final class PartitionRouting: Sendable {
    public let replica: String
    public let address: URL
    public let volume: String
    let ownership: PartitionOwnership
    public let directory: OwnerDirectory

    public init(replica: String, address: URL, volume: String, ownership: PartitionOwnership, directory: OwnerDirectory) {
        self.replica = replica
        self.address = address
        self.volume = volume
        self.ownership = ownership
        self.directory = directory
    }

    public func placement(of partition: Int32) -> Placement {
        if ownership.isHeld(partition) { return .here }
        guard let owner = directory.owner(of: partition), owner.replica != replica else { return .moving }
        return owner.volume == volume ? .here : .owner(owner.address)
    }

    /// The placement of `partition`, waiting up to `patience` while it is moving: a
    /// partition changes hands in about a second once its new owner has its store.
    public func settled(_ partition: Int32, patience: Duration = .seconds(3)) async -> Placement {
        let deadline = ContinuousClock.now.advanced(by: patience)
        while true {
            let placement = placement(of: partition)
            guard placement == .moving, ContinuousClock.now < deadline else { return placement }
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    /// A replica on another host (another data directory) that claims `partition` now, if
    /// any: this one takes it only once no such claim is left.
    public func claimantElsewhere(of partition: Int32) -> String? {
        directory.claimants(of: partition).first { $0.replica != replica && $0.volume != volume }?.replica
    }

    /// What this replica announces of itself.
    public var announcement: OwnerAnnouncement {
        OwnerAnnouncement(replica: replica, address: address, volume: volume, partitions: ownership.claimed)
    }
}
