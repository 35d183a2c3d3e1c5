import GRDB
public import HomewardStore

/// Holds a staff change's answer until the change is in its store's changelog, so that a
/// host lost with its disk after the answer loses nothing answered. The owner of the
/// partition publishes it: this replica's relay (``ChangelogProgress`` wakes the wait), or
/// another replica's on the host, whose publication shows in the store (a changelog row
/// leaves the outbox when the broker acknowledges it).
public struct ChangelogBarrier: Sendable {
    let stores: PartitionStores
    let ownership: PartitionOwnership
    let progress: ChangelogProgress
    let topic: String
    /// How long an answer waits for an unreachable broker: then it goes, the change safe on
    /// this host's disk, and published when the broker is back.
    let timeout: Duration

    public init(stores: PartitionStores, ownership: PartitionOwnership, progress: ChangelogProgress, topic: String, timeout: Duration = .seconds(5)) {
        self.stores = stores
        self.ownership = ownership
        self.progress = progress
        self.topic = topic
        self.timeout = timeout
    }

    /// Whether every changelog row `store` holds now (the request's among them) reached the
    /// broker in time.
    public func wait(for store: Store) async -> Bool {
        guard let index = stores.partitions.firstIndex(where: { $0 === store }),
              let seq = try? await store.read({ db in try Outbox.lastSeq(in: db) }) else { return true }
        let partition = Int32(index)
        if ownership.isHeld(partition) { return await progress.wait(partition, through: seq, timeout: timeout) }
        let deadline = ContinuousClock.now.advanced(by: timeout)
        let topic = self.topic
        while ContinuousClock.now < deadline {
            let pending = try? await store.read { db in
                try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM outbox WHERE published_at IS NULL AND seq <= ? AND topic = ?)"),
                                  arguments: [seq, topic])
            }
            if pending == false { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return false
    }
}
