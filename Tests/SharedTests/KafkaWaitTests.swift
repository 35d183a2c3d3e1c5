import Foundation
@testable import Kafka
import Logging
import Synchronization
import Testing

@Suite("Kafka layer's waits and states")
struct KafkaWaitTests {
    let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    @Test func aThreadThatFinishesEndsTheWaitAtOnce() async {
        let started = ContinuousClock.now
        #expect(await BlockingThread.run(name: "quick", timeout: .seconds(30)) {})
        #expect(started.duration(to: .now) < .seconds(5))
    }

    @Test func aHungThreadIsLeftAtTheTimeoutAndRunsOn() async {
        let release = DispatchSemaphore(value: 0)
        let ranOn = DispatchSemaphore(value: 0)
        let started = ContinuousClock.now
        let finished = await BlockingThread.run(name: "hung", timeout: .milliseconds(300)) {
            release.wait()
            ranOn.signal()
        }
        let waited = started.duration(to: .now)
        #expect(!finished)
        #expect(waited >= .milliseconds(300) && waited < .seconds(5), "\(waited)")
        release.signal()
        #expect(await BlockingThread.run(name: "check") { ranOn.wait(timeout: .now() + 5) } == .success)
    }

    @Test func aWaitEndsOnceWhateverComesAfter() async {
        let ends = Mutex<[Bool]>([])
        let finished = await withCheckedContinuation { continuation in
            let wait = ThreadWait(continuation)
            let first = wait.end(finished: true)
            let second = wait.end(finished: false)
            wait.arm(timeout: .zero)
            ends.withLock { $0 = [first, second] }
        }
        #expect(finished)
        #expect(ends.withLock { $0 } == [true, false])
    }

    @Test func theBackoffDoublesUpToItsLimit() {
        let backoff = Backoff(first: .milliseconds(100), limit: .seconds(5))
        let delays = (1...9).map { backoff.delay(afterFailures: $0) }
        #expect(delays == [100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000].map { .milliseconds($0) })
        #expect(backoff.delay(afterFailures: 10_000) == .seconds(5))
        #expect(backoff.delay(afterFailures: 0) == .zero)
    }

    /// A consumer backing off a failed batch (up to 5 s) stops when asked, not after the pause.
    @Test func aBackOffPauseEndsWhenTheStopIsAsked() async {
        let stop = StopRequest()
        Task {
            try? await Task.sleep(for: .milliseconds(200))
            stop.request()
        }
        #expect(await BlockingThread.run(name: "backing-off", timeout: .seconds(30)) { stop.pause(for: .seconds(60)) },
                "the pause ended with the stop, not after 60 s")
        #expect(await BlockingThread.run(name: "after", timeout: .seconds(30)) { stop.pause(for: .seconds(60)) },
                "asked already: a pause returns at once")
    }

    @Test func aClosedProducerFlushesOnceAndStopsItsPollThreadAfter() {
        var machine = ProducerStateMachine()
        #expect(machine.close() == .flush)
        #expect(machine.close() == .none)
        machine.abandoned()
        #expect(machine.isPolling, "dropped while the close flushes: the close goes on")
        machine.flushed()
        #expect(!machine.isPolling)
        machine.pollerStopped()
        #expect(machine.isFinished)
    }

    @Test func aDroppedProducerStopsItsPollThread() {
        var machine = ProducerStateMachine()
        machine.abandoned()
        #expect(!machine.isPolling)
        #expect(machine.close() == .none)
    }

    @Test func aCancelledConsumerRunStopsCommitsAndCloses() async throws {
        let broker = try EmbeddedBroker(logger: quiet)
        defer { broker.shutdown() }
        try broker.createTopic(TopicSpec(name: "t", partitions: 1))
        let config = KafkaConfig(bootstrapServers: broker.bootstrapServers)
        let producer = try KafkaProducer(config: config, logger: quiet)
        try await producer.send(OutgoingMessage(topic: "t", key: "k", value: Data("a".utf8)))
        #expect(await producer.close())
        #expect(await producer.close(), "a second close returns at once")

        let consumer = try KafkaConsumer(config: config, groupID: "g", topics: ["t"], logger: quiet)
        let (handled, handledOne) = AsyncStream.makeStream(of: Int.self)
        let run = Task { await consumer.run(closeTimeout: .seconds(20)) { handledOne.yield($0.count) } }
        var batches = handled.makeAsyncIterator()
        let first = await batches.next()
        #expect(first == 1)
        let started = ContinuousClock.now
        run.cancel()
        await run.value
        #expect(consumer.isStopping)
        #expect(started.duration(to: .now) < .seconds(15), "closed, not left at the deadline")
        let lag = try await KafkaAdmin.lag(group: "g", topics: ["t"], config: config, logger: quiet)
        #expect(lag.map(\.committed) == [1], "the close committed the handled record")
    }

    /// Without a close the poll thread releases the handle by itself, at its next turn.
    @Test func aProducerDroppedWithoutACloseGoesQuietly() async throws {
        let broker = try EmbeddedBroker(logger: quiet)
        defer { broker.shutdown() }
        try broker.createTopic(TopicSpec(name: "t", partitions: 1))
        var producer: KafkaProducer? = try KafkaProducer(config: KafkaConfig(bootstrapServers: broker.bootstrapServers), logger: quiet)
        try await producer?.send(OutgoingMessage(topic: "t", key: "k", value: Data("a".utf8)))
        let handle = try #require(producer).handle
        producer = nil
        #expect(handle.released.wait(timeout: .now() + 5) == .success, "the poll thread released the handle")
    }
}
