import Foundation
import HomewardModel
import Kafka
import StageProbeKit
import TestSupport
import Testing

extension Processes {
    @Suite("Crash safety under SIGKILL")
    struct CrashSafety {
        /// Both stages are killed with SIGKILL again and again while thousands of events
        /// flow; after restarts every input has exactly one effect and one logical output.
        @Test func everyInputHasExactlyOneEffectAndOneOutputAfterRepeatedKills() async throws {
            let cluster = try TestCluster("crash")
            let (first, second) = try await cluster.readyProbeStages()

            let requests = EventTraffic.requests(cases: 60, perCase: 50)  // 3,000 events
            let producer = try cluster.traffic.makeProducer()
            let traffic = cluster.traffic
            let sending = Task {
                for chunk in stride(from: 0, to: requests.count, by: 50) {
                    try await traffic.send(Array(requests[chunk..<min(chunk + 50, requests.count)]), producer: producer)
                    try await Task.sleep(for: .milliseconds(200))
                }
            }

            // Each kill lands while the victim is applying: after it has made progress
            // since its last start, at a random moment.
            var kills = (first: 0, second: 0)
            let firstView = ProbeStoreView(directory: first.storeDirectory)
            let secondView = ProbeStoreView(directory: second.storeDirectory)
            while kills.first < 6 {
                let before = (try? firstView.effectTotal()) ?? 0
                _ = await eventually(timeout: .seconds(30), every: .milliseconds(20)) {
                    ((try? firstView.effectTotal()) ?? 0) >= min(before + 50, requests.count)
                }
                try await Task.sleep(for: .milliseconds(Int.random(in: 0...200)))
                first.child.signal(SIGKILL)
                await first.child.waitForExit()
                kills.first += 1
                if kills.first % 3 == 0 {
                    second.child.signal(SIGKILL)
                    await second.child.waitForExit()
                    kills.second += 1
                    try second.restart()
                }
                try first.restart()
            }
            try await sending.value
            let done = await eventually(timeout: .seconds(120)) {
                (try? secondView.effectCounts().count) == requests.count && (try? firstView.unpublished()) == 0
            }
            #expect(done, "all \(requests.count) events reached the second stage")

            // The first stage: one effect per input.
            let firstEffects = try firstView.effectCounts()
            #expect(firstEffects.count == requests.count)
            #expect(firstEffects.values.allSatisfy { $0 == 1 }, "no input applied twice")
            #expect(Set(firstEffects.keys) == Set(requests.map(\.id.rawValue)), "no input missed")

            // One logical output per input; wire duplicates only as relay re-publishes.
            let wire = try await cluster.traffic.appliedEvents()
            let logical = Dictionary(grouping: wire, by: \.id)
            #expect(logical.count == requests.count)
            let outputsPerRequest = Dictionary(grouping: logical.values.map { $0[0] }, by: { $0.payload(as: ProbeApplied.self)!.requestID })
            #expect(outputsPerRequest.count == requests.count && outputsPerRequest.values.allSatisfy { $0.count == 1 })

            // The second stage de-duplicates whatever duplicates the wire carries...
            let secondEffects = try secondView.effectCounts()
            #expect(Set(secondEffects.keys) == Set(logical.keys.map(\.rawValue)))
            #expect(secondEffects.values.allSatisfy { $0 == 1 })
            #expect(try firstView.orderViolations() == 0)
            #expect(try secondView.orderViolations() == 0)

            // ...and, to prove it whatever the kills produced, re-send 200 published
            // outputs as a relay re-publishing after a crash would.
            let raw = try await cluster.traffic.readAll(ServiceName.healthScreening.topic)
            let replays = raw.prefix(200).map { OutgoingMessage(topic: $0.topic, partition: $0.partition, key: $0.keyString, value: $0.value) }
            for result in await producer.send(Array(replays)) { _ = try result.get() }
            try await second.waitUntilReady()
            #expect(await eventually {
                (try? await second.metrics()).map { metric("homeward_events_duplicate_total", in: $0) >= 200 } ?? false
            })
            #expect(try secondView.effectCounts().values.allSatisfy { $0 == 1 })
            #expect(try secondView.effectTotal() == requests.count)

            print("crash safety: \(requests.count) events, SIGKILLs first=\(kills.first) second=\(kills.second), wire outputs \(wire.count) for \(logical.count) logical (\(wire.count - logical.count) duplicates absorbed)")
            await first.child.stop()
            await second.child.stop()
            await producer.close()
        }
    }
}

/// Sums a Prometheus counter over its label sets.
func metric(_ name: String, in text: String) -> Int {
    text.split(separator: "\n").filter { $0.hasPrefix(name + "{") || $0.hasPrefix(name + " ") }
        .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0) { $0 + Int($1) }
}
