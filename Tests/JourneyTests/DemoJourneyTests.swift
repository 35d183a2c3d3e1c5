import Foundation
import TestSupport
import Testing

/// `homeward demo` when a service is not there. The demo itself runs on the compose stack
/// (`ComposeStackTests`, through the gateway) and on the stores from before partition stores
/// (`StoreSplitTests`, one URL per service).
@Suite("The demo journey", .serialized)
struct DemoJourneyTests {
    @Test func aServiceThatIsDownIsOneClearLine() async throws {
        let directory = try makeWorkDirectory("demo-down")
        let demo = try ChildProcess("homeward", arguments: ["demo", "--intake", "http://127.0.0.1:\(freePort())"], environment: [:], logDirectory: directory)
        #expect(await demo.waitForExit() == 1)
        let lines = demo.log.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("homeward demo: intake is not answering at http://127.0.0.1:") == true)

        let topics = try ChildProcess("homeward", arguments: ["topics", "--address-file", directory.appendingPathComponent("none").path],
                                      environment: ["KAFKA_BOOTSTRAP_SERVERS": ""], logDirectory: directory)
        #expect(await topics.waitForExit() == 1)
        #expect(topics.log.split(separator: "\n") == ["homeward: no broker: give --bootstrap, set KAFKA_BOOTSTRAP_SERVERS, or start the local stack (make run)"])
    }
}
