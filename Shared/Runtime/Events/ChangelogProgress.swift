import Foundation
import Synchronization

/// How far each partition store's changelog is acknowledged by the broker: every changelog
/// row up to outbox `seq` S is in Kafka. The consumer stores an input's offset only once
/// the changes it made are (a host lost with its disk then loses no applied event: the new
/// owner restores the store and Kafka re-delivers what the changelog lacks); a staff
/// change is answered once it is.
public final class ChangelogProgress: Sendable {
    private let reached = Mutex<[Int32: Int64]>([:])
    private let condition = NSCondition()
    private let waiters = Mutex<(next: Int, parked: [Int: (partition: Int32, seq: Int64, continuation: CheckedContinuation<Void, Never>)])>((0, [:]))

    public init() {}

    /// The relay: every changelog row of `partition` up to `seq` is acknowledged.
    public func reached(_ partition: Int32, through seq: Int64) {
        // Under the condition's lock: a waiter between its check and its wait would miss it.
        condition.lock()
        reached.withLock { $0[partition] = max($0[partition] ?? 0, seq) }
        condition.broadcast()
        condition.unlock()
        let ready = waiters.withLock { waiters in
            let ids = waiters.parked.filter { $0.value.partition == partition && $0.value.seq <= seq }.map(\.key)
            return ids.compactMap { waiters.parked.removeValue(forKey: $0)?.continuation }
        }
        for continuation in ready { continuation.resume() }
    }

    /// Forgets a partition no longer owned (a later owner's seqs are its own).
    public func forget(_ partition: Int32) {
        reached.withLock { _ = $0.removeValue(forKey: partition) }
    }

    public func isReached(_ partition: Int32, through seq: Int64) -> Bool {
        reached.withLock { ($0[partition] ?? 0) >= seq }
    }

    /// Blocks a thread of its own (the consumer's) until `seq` is reached; false if `stop`
    /// says so first.
    public func waitBlocking(_ partition: Int32, through seq: Int64, stop: () -> Bool) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !isReached(partition, through: seq) {
            if stop() { return false }
            _ = condition.wait(until: Date(timeIntervalSinceNow: 0.05))
        }
        return true
    }

    /// Waits up to `timeout` for `seq`; false if it is not reached by then.
    public func wait(_ partition: Int32, through seq: Int64, timeout: Duration) async -> Bool {
        if isReached(partition, through: seq) { return true }
        let id = waiters.withLock { waiters in
            defer { waiters.next += 1 }
            return waiters.next
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    // Checked under the waiters' lock, which reached() takes after recording.
                    let now = self.waiters.withLock { waiters -> Bool in
                        if self.isReached(partition, through: seq) { return true }
                        waiters.parked[id] = (partition, seq, continuation)
                        return false
                    }
                    if now { continuation.resume() }
                }
            }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
            self.waiters.withLock { $0.parked.removeValue(forKey: id) }?.continuation.resume()
        }
        return isReached(partition, through: seq)
    }
}
