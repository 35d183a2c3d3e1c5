import Foundation

/// Exponential back-off between attempts at failed work on a consumer thread: the pause
/// doubles from `first` with each failure in a row, up to `limit`.
public struct Backoff: Sendable {
    public let first: Duration
    public let limit: Duration

    public init(first: Duration, limit: Duration) {
        self.first = first
        self.limit = limit
    }

    /// The pause after `failures` failures in a row (1: after the first).
    public func delay(afterFailures failures: Int) -> Duration {
        guard failures > 0 else { return .zero }
        return min(limit, first * (1 << min(failures - 1, 30)))
    }

    /// Blocks the calling thread for ``delay(afterFailures:)``: for dedicated threads only,
    /// never Swift's cooperative pool.
    public func pause(afterFailures failures: Int) {
        Thread.sleep(forTimeInterval: delay(afterFailures: failures) / .seconds(1))
    }
}
