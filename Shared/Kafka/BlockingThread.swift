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

    /// Like ``run(name:_:)`` but stops waiting after `timeout` (returning false); the thread
    /// keeps running. Used for shutdown, where librdkafka 2.0.x can hang after a broker outage.
    package static func run(name: String, timeout: Duration, _ body: @escaping @Sendable () -> Void) async -> Bool {
        await run(name: name, deadline: { $0.arm(timeout: timeout) }, body)
    }

    /// Runs `body` on a thread of its own; true when it finished, false if a deadline that
    /// `deadline` arms on the wait (at once or later) passed first.
    static func run(name: String, deadline: (ThreadWait) -> Void, _ body: @escaping @Sendable () -> Void) async -> Bool {
        await withCheckedContinuation { continuation in
            let wait = ThreadWait(continuation)
            deadline(wait)
            let thread = Thread {
                body()
                wait.end(finished: true)
            }
            thread.name = name
            thread.start()
        }
    }
}
