import Foundation
import HomewardModel
import StageProbeKit
import TestSupport
import Testing

extension Processes {
    @Suite("Replaying dead letters")
    struct DeadLetterReplay {
        func homeward(_ arguments: [String], in directory: URL) async throws -> (Int32, String) {
            let child = try ChildProcess("homeward", arguments: arguments, environment: [:], logDirectory: directory)
            let status = await child.waitForExit(timeout: .seconds(60))
            return (status, child.log)
        }

        /// Events a stage rejected are replayed once the cause is fixed: each takes effect
        /// once, and a second replay changes nothing.
        @Test func replayedDeadLettersTakeEffectExactlyOnce() async throws {
            let cluster = try TestCluster("replay")
            var stage = try await cluster.readyProbe(.first)
            let producer = try cluster.traffic.makeProducer()
            let rejected = (1...3).map { CloudEvent(caseID: CaseID("case-r\($0)"), data: ProbeRequested(seq: 1, reject: true)) }
            let good = (1...5).map { CloudEvent(caseID: CaseID("case-g\($0)"), data: ProbeRequested(seq: 1)) }
            try await cluster.traffic.send(rejected + good, producer: producer)
            let view = ProbeStoreView(directory: stage.storeDirectory)
            #expect(await eventually { (try? view.effectTotal()) == 5 })
            #expect(await eventually { ((try? await cluster.traffic.readAll(ServiceName.healthScreening.deadLetterTopic)) ?? []).count == 3 })

            let broker = ["--bootstrap", cluster.bootstrap]
            var (status, text) = try await homeward(["dlq", "list", "health-screening"] + broker, in: cluster.directory)
            #expect(status == 0 && text.contains("homeward.health-screening.dlq: 3 dead letters") && text.contains("probe asked to reject"), "\(text)")
            let position = try #require(text.firstMatch(of: /\n\s+(\d+:\d+)\s/).map { String($0.1) })
            (status, text) = try await homeward(["dlq", "show", "health-screening", position] + broker, in: cluster.directory)
            #expect(status == 0 && text.contains("x-dlq-error: probe asked to reject") && text.contains("homeward.probe.requested.v1"), "\(text)")

            // The cause is fixed: the stage is redeployed to accept them.
            await stage.child.stop()
            stage = try await cluster.readyProbe(.first, extra: ["PROBE_ACCEPT_REJECTS": "1"])
            (status, text) = try await homeward(["dlq", "replay", "health-screening", "--all"] + broker, in: cluster.directory)
            #expect(status == 0 && text.contains("replayed 3 dead letters of health-screening"), "\(text)")
            #expect(await eventually { (try? view.effectTotal()) == 8 })

            (status, _) = try await homeward(["dlq", "replay", "health-screening", "--all"] + broker, in: cluster.directory)
            #expect(status == 0)
            #expect(await eventually { (try? await stage.metrics()).map { metric("homeward_events_duplicate_total", in: $0) >= 3 } ?? false })
            #expect(try view.effectCounts().count == 8)
            #expect(try view.effectCounts().values.allSatisfy { $0 == 1 }, "each replayed event took effect once")
            #expect(try view.effectCounts().keys.contains(rejected[0].id.rawValue))
            await stage.child.stop()
            await producer.close()
        }
    }
}
