import Foundation
import HomewardModel
import StageProbeKit
import TestSupport
import Testing

extension Processes {
    @Suite("Rebalance within a consumer group")
    struct Rebalance {
        /// Two replicas of one stage share its store and split its topic through their
        /// group: one joins mid-stream, the other leaves mid-stream.
        @Test func aMemberJoiningAndOneLeavingMidStreamMissNothingAndApplyNothingTwice() async throws {
            let cluster = try TestCluster("rebalance")
            let a = try await cluster.readyProbe(.first, store: "shared.sqlite")
            let view = ProbeStoreView(directory: a.storeDirectory)
            let requests = EventTraffic.requests(cases: 40, perCase: 30)  // 1,200 events
            let producer = try cluster.traffic.makeProducer()
            let traffic = cluster.traffic
            func send(_ range: Range<Int>) async throws {
                for chunk in stride(from: range.lowerBound, to: range.upperBound, by: 40) {
                    try await traffic.send(Array(requests[chunk..<min(chunk + 40, range.upperBound)]), producer: producer)
                    try await Task.sleep(for: .milliseconds(100))
                }
            }

            try await send(0..<400)
            let b = try await cluster.readyProbe(.first, store: "shared.sqlite")
            try await send(400..<800)
            #expect(await eventually { b.child.log.contains("Kafka consumer: assigned") }, "the joining member got partitions")
            await a.child.stop()  // leaves the group: its partitions are revoked, committed, handed over
            #expect(a.child.process.terminationStatus == 0)
            try await send(800..<requests.count)

            #expect(await eventually { (try? view.effectCounts().count) == requests.count && (try? view.unpublished()) == 0 })
            let effects = try view.effectCounts()
            #expect(Set(effects.keys) == Set(requests.map(\.id.rawValue)), "nothing missed")
            #expect(effects.values.allSatisfy { $0 == 1 }, "nothing applied twice")
            #expect(try view.orderViolations() == 0)
            #expect(a.child.log.contains("Kafka consumer: revoked"))

            let wire = try await cluster.traffic.appliedEvents()
            #expect(Set(wire.map(\.id)).count == requests.count)
            await b.child.stop()
            await producer.close()
        }
    }
}
