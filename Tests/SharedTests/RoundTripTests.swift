import Foundation
import HomewardModel
import StageProbeKit
import TestSupport
import Testing

extension Processes {
    @Suite("Round trip between processes")
    struct RoundTrip {
        @Test func eventsFlowThroughTwoStageProcessesInOrderPerCase() async throws {
            let cluster = try TestCluster("roundtrip")
            let (first, second) = try await cluster.readyProbeStages()

            let requests = EventTraffic.requests(cases: 20, perCase: 10)
            let producer = try cluster.traffic.makeProducer()
            try await cluster.traffic.send(requests, producer: producer)

            let secondView = ProbeStoreView(directory: second.storeDirectory)
            #expect(await eventually { (try? secondView.effectTotal()) == requests.count })

            let applied = try await cluster.traffic.appliedEvents()
            #expect(Set(applied.map(\.id)).count == requests.count)
            var seqs: [CaseID: [Int]] = [:]
            for event in applied { seqs[event.caseID, default: []].append(event.payload(as: ProbeApplied.self)!.seq) }
            #expect(seqs.count == 20)
            #expect(seqs.values.allSatisfy { $0 == Array(1...10) }, "per-case order on the output topic")
            #expect(applied.allSatisfy { $0.causationID != nil })

            let firstView = ProbeStoreView(directory: first.storeDirectory)
            #expect(try firstView.effectCounts() == Dictionary(uniqueKeysWithValues: requests.map { ($0.id.rawValue, 1) }))
            #expect(try firstView.orderViolations() == 0)
            #expect(try secondView.orderViolations() == 0)
            #expect(try await first.metrics().contains("homeward_events_applied_total{type=\"homeward.probe.requested.v1\"} 200"))

            await first.child.stop()
            await second.child.stop()
            #expect(first.child.process.terminationStatus == 0)
            #expect(first.child.log.contains("\"message\":\"stopped\""))
            await producer.close()
        }
    }
}
