import Synchronization

/// Wakes the outbox relay as soon as this process commits outbox rows, so an event does
/// not wait for the next poll. Rows written by other replicas are found by polling.
public final class RelaySignal: Sendable {
    private let state = Mutex<(pending: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))

    public init() {}

    public func notify() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.pending = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// Whether a notification waits to be taken by ``wait(timeout:)``.
    var isPending: Bool { state.withLock { $0.pending } }

    /// Returns at the next ``notify()`` (or at once if one came since the last wait), or
    /// after `timeout`.
    func wait(timeout: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let ready = self.state.withLock { state -> Bool in
                        if state.pending {
                            state.pending = false
                            return true
                        }
                        state.waiter = continuation
                        return false
                    }
                    if ready { continuation.resume() }
                }
            }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            self.notify()  // release the other child if it is the waiter
            group.cancelAll()
            await group.waitForAll()
            self.state.withLock { $0.pending = false }
        }
    }
}
