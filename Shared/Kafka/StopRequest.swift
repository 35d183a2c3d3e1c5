import Dispatch
import Synchronization

/// A consumer's stop: asked once, by a shutdown or a cancelled caller. What waits for it
/// runs then, or at once if it was asked before.
final class StopRequest: Sendable {
    private struct State {
        var requested = false
        var actions: [@Sendable () -> Void] = []
    }

    private let state = Mutex(State())
    /// Signalled by the request: ends a ``pause(for:)`` early.
    private let wake = DispatchSemaphore(value: 0)

    var isRequested: Bool { state.withLock { $0.requested } }

    func request() {
        let actions = state.withLock { state -> [@Sendable () -> Void] in
            guard !state.requested else { return [] }
            state.requested = true
            defer { state.actions = [] }
            return state.actions
        }
        wake.signal()
        for action in actions { action() }
    }

    /// Blocks the calling thread for `duration`, or until the stop is asked: a back-off
    /// never holds a shutdown up. For dedicated threads only, never Swift's cooperative pool.
    func pause(for duration: Duration) {
        guard duration > .zero, !isRequested else { return }
        _ = wake.wait(timeout: .now() + duration / .seconds(1))
    }

    func onRequest(_ action: @escaping @Sendable () -> Void) {
        let now = state.withLock { state -> Bool in
            if !state.requested { state.actions.append(action) }
            return state.requested
        }
        if now { action() }
    }
}
