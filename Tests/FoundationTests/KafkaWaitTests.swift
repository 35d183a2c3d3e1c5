import Foundation
import Kafka
import Logging
import Testing

@Suite("Kafka layer's waits and states")
struct KafkaWaitTests {
    var quiet: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }

    @Test func theBackoffDoublesUpToItsLimit() {
        let backoff = Backoff(first: .milliseconds(100), limit: .seconds(5))
        let delays = (1...9).map { backoff.delay(afterFailures: $0) }
        #expect(delays == [100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000].map { .milliseconds($0) })
        #expect(backoff.delay(afterFailures: 10_000) == .seconds(5))
        #expect(backoff.delay(afterFailures: 0) == .zero)
    }
}
