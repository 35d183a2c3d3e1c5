public import Logging
import ServiceLifecycle

/// Runs `pass` now and then every `interval` until the process shuts down: the loop of every
/// sweep (lapses, retention, key rotation). A failed pass is logged as `what` and retried at
/// the next interval; the wait ends at once on graceful shutdown.
public func repeatUntilShutdown(every interval: Duration, logger: Logger, what: String, _ pass: () async throws -> Void) async {
    while !Task.isShuttingDownGracefully && !Task.isCancelled {
        do {
            try await pass()
        } catch is CancellationError {
            return
        } catch {
            logger.error("\(what): \(error)")
        }
        try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
    }
}
