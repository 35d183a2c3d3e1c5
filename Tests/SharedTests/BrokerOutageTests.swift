import Foundation
import HomewardModel
import StageProbeKit
import TestSupport
import Testing

extension Processes {
    @Suite("Broker outage")
    struct BrokerOutage {
        /// The broker process goes down for several seconds mid-stream; producers and
        /// consumers recover by themselves and nothing is lost.
        @Test func producersAndConsumersRecoverWithoutLossOrOperatorAction() async throws {
            let directory = try makeWorkDirectory("outage")
            let broker = try ChildProcess("homeward-broker", arguments: ["--partitions", "4"], environment: [:],
                                          logDirectory: directory, captureStdout: true, withStdin: true)
            let first = try #require(broker.readLine())
            #expect(first.hasPrefix("bootstrap="))
            let bootstrap = String(first.dropFirst("bootstrap=".count))
            let fast = TestCluster.fastGroup
            let stage1 = try ProbeProcess(role: .first, bootstrap: bootstrap, directory: directory, extra: fast)
            let stage2 = try ProbeProcess(role: .second, bootstrap: bootstrap, directory: directory, extra: fast)
            try await stage1.waitUntilReady()
            try await stage2.waitUntilReady()

            let traffic = EventTraffic(bootstrap: bootstrap)
            let producer = try traffic.makeProducer()
            let requests = EventTraffic.requests(cases: 30, perCase: 40)  // 1,200 events
            let sending = Task {
                for chunk in stride(from: 0, to: requests.count, by: 40) {
                    try await traffic.send(Array(requests[chunk..<min(chunk + 40, requests.count)]), producer: producer)
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            let view2 = ProbeStoreView(directory: stage2.storeDirectory)
            _ = await eventually { ((try? view2.effectTotal()) ?? 0) > 200 }
            broker.send("down 1")
            #expect(broker.readLine() == "ok down 1")
            try await Task.sleep(for: .seconds(6))
            let duringOutage = (try? view2.effectTotal()) ?? 0
            broker.send("up 1")
            #expect(broker.readLine() == "ok up 1")
            try await sending.value

            #expect(await eventually(timeout: .seconds(120)) { (try? view2.effectCounts().count) == requests.count })
            #expect(duringOutage < requests.count, "the outage happened mid-stream")
            #expect(stage1.child.isRunning && stage2.child.isRunning, "no restart needed")
            #expect(stage1.starts == 1 && stage2.starts == 1)
            let view1 = ProbeStoreView(directory: stage1.storeDirectory)
            #expect(try view1.effectCounts().values.allSatisfy { $0 == 1 })
            #expect(try view2.effectCounts().values.allSatisfy { $0 == 1 })
            #expect(try view1.orderViolations() == 0 && view2.orderViolations() == 0)
            #expect(stage1.child.log.contains("brokers are down"), "the services saw the outage")

            await stage1.child.stop()
            await stage2.child.stop()
            await producer.close()
            broker.signal(SIGTERM)
            #expect(await broker.waitForExit() == 0)
        }
    }
}
