public import Foundation
import Synchronization

/// Who owns each partition store of a service, as its replicas announce it on the owners
/// topic (``OwnerAnnouncement``). The topic has one partition, so every reader sees the
/// announcements in one order: of two live replicas claiming a partition (the old owner
/// has not said yet that it let go), the one whose claim began later owns it. A replica
/// not heard from for ``staleAfter`` (killed, cut off) owns nothing. Freshness is judged
/// by when a record arrived here, so hosts' clocks need not agree, and only over time the
/// topic was flowing here: after a broker outage every replica gets ``staleAfter`` to be
/// heard again, and while nothing arrives (every replica announces each second, this one
/// included) nobody's claim lapses, or a replica would take a partition whose owner has
/// not had the chance to say that it let go.
public final class OwnerDirectory: Sendable {
    struct Entry {
        var announcement: OwnerAnnouncement
        var heardAt: ContinuousClock.Instant
        /// Per partition claimed, the offset of the record where the claim began.
        var claimedAt: [Int32: Int64]
    }

    private let entries = Mutex<[String: Entry]>([:])
    /// When the last record arrived, and since when records have arrived without a gap.
    private let flow = Mutex<(last: ContinuousClock.Instant, since: ContinuousClock.Instant)?>(nil)
    public let staleAfter: Duration

    public init(staleAfter: Duration = .milliseconds(3500)) {
        self.staleAfter = staleAfter
    }

    /// One record of the owners topic: an announcement, or a tombstone (`value` empty).
    public func apply(replica: String, value: Data, offset: Int64, at now: ContinuousClock.Instant = .now) {
        flow.withLock { flow in
            let since = flow.map { $0.last.duration(to: now) < staleAfter / 2 ? $0.since : now } ?? now
            flow = (now, since)
        }
        guard !value.isEmpty else {
            entries.withLock { _ = $0.removeValue(forKey: replica) }
            return
        }
        guard let announcement = try? JSONDecoder().decode(OwnerAnnouncement.self, from: value), announcement.replica == replica else { return }
        entries.withLock { entries in
            let before = entries[replica]?.claimedAt ?? [:]
            var claimedAt: [Int32: Int64] = [:]
            for partition in announcement.partitions { claimedAt[partition] = before[partition] ?? offset }
            entries[replica] = Entry(announcement: announcement, heardAt: now, claimedAt: claimedAt)
        }
    }

    /// Every replica heard from lately.
    public func live(at now: ContinuousClock.Instant = .now) -> [OwnerAnnouncement] {
        let fresh = isFresh(at: now)
        return entries.withLock { entries in entries.values.filter { fresh($0.heardAt) }.map(\.announcement) }
    }

    /// Every live replica that claims `partition` (two while it changes hands).
    public func claimants(of partition: Int32, at now: ContinuousClock.Instant = .now) -> [OwnerAnnouncement] {
        let fresh = isFresh(at: now)
        return entries.withLock { entries in
            entries.values.filter { fresh($0.heardAt) && $0.claimedAt[partition] != nil }.map(\.announcement)
        }
    }

    /// The live replica that owns `partition`, if any is known.
    public func owner(of partition: Int32, at now: ContinuousClock.Instant = .now) -> OwnerAnnouncement? {
        let fresh = isFresh(at: now)
        return entries.withLock { entries in
            entries.values
                .filter { fresh($0.heardAt) && $0.claimedAt[partition] != nil }
                .max { $0.claimedAt[partition]! < $1.claimedAt[partition]! }?.announcement
        }
    }

    /// Whether a replica last heard at an instant still counts at `now`: heard within
    /// ``staleAfter`` of time the topic was flowing here, or the topic is not flowing now.
    private func isFresh(at now: ContinuousClock.Instant) -> (ContinuousClock.Instant) -> Bool {
        let flow = self.flow.withLock { $0 }
        let staleAfter = self.staleAfter
        guard let flow, flow.last.duration(to: now) < staleAfter / 2 else { return { _ in true } }
        return { heardAt in max(heardAt, flow.since).duration(to: now) < staleAfter }
    }
}
