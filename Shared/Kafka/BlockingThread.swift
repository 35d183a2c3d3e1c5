import Foundation

/// Runs blocking librdkafka calls on a thread of their own, never on Swift's cooperative
/// pool: on two cores one blocked pool thread halves the pool.
package enum BlockingThread {
    package static func run<T: Sendable>(name: String, _ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: body()) }
            thread.name = name
            thread.start()
        }
    }

    /// Like ``run(name:_:)`` but stops waiting after `timeout`; the thread keeps running.
    /// Used for shutdown, where librdkafka 2.0.x can hang after a broker outage.
    package static func run(name: String, timeout: Duration, _ body: @escaping @Sendable () -> Void) async -> Bool {
        let finished = Flag()
        let thread = Thread {
            body()
            finished.set()
        }
        thread.name = name
        thread.start()
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while !finished.isSet {
            if clock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return true
    }
}
