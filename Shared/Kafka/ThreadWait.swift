import Synchronization

/// A wait for a thread that ends, exactly once, at the first of: the thread finishing
/// (`finished(true)`) or a deadline armed meanwhile passing (false). The thread runs on
/// after a deadline: librdkafka can hang in close or destroy after a broker outage.
final class ThreadWait: Sendable {
    private enum State {
        case waiting(CheckedContinuation<Bool, Never>, deadline: Task<Void, Never>?)
        case over
    }

    private let state: Mutex<State>

    init(_ continuation: CheckedContinuation<Bool, Never>) {
        state = Mutex(.waiting(continuation, deadline: nil))
    }

    /// Ends the wait with `finished` unless it ended before; true if this call ended it.
    @discardableResult
    func end(finished: Bool) -> Bool {
        let ended: (CheckedContinuation<Bool, Never>, Task<Void, Never>?)? = state.withLock { state in
            guard case .waiting(let continuation, let deadline) = state else { return nil }
            state = .over
            return (continuation, deadline)
        }
        guard let (continuation, deadline) = ended else { return false }
        deadline?.cancel()  // its sleep ends at once, and with it the timer's task
        continuation.resume(returning: finished)
        return true
    }

    /// Ends the wait with false after `timeout`, unless it ended before. Once only: a
    /// second deadline is ignored.
    func arm(timeout: Duration) {
        let timer = Task { [self] in
            try? await Task.sleep(for: timeout)
            guard !Task.isCancelled else { return }
            end(finished: false)
        }
        let kept = state.withLock { state in
            guard case .waiting(let continuation, nil) = state else { return false }
            state = .waiting(continuation, deadline: timer)
            return true
        }
        if !kept { timer.cancel() }
    }
}
