import Foundation
import HomewardModel
import Kafka
import StageProbeKit
import TestSupport
import Testing

extension Processes {
    @Suite("Poison input")
    struct Poison {
        @Test func poisonLandsInTheDeadLetterTopicWithProvenanceAndGoodEventsAroundItApply() async throws {
            let cluster = try TestCluster("poison")
            let stage = try await cluster.readyProbe(.first)
            let producer = try cluster.traffic.makeProducer()
            let topic = ServiceName.intake.topic

            func envelope(type: String, subject: String?) -> Data {
                var object: [String: Any] = [
                    "id": UUID().uuidString, "source": "/homeward/intake", "specversion": "1.0", "type": type,
                    "time": "2026-11-22T10:00:00.000Z", "datacontenttype": "application/json",
                    "dataschema": "urn:x", "correlationid": "c", "data": ["seq": 1],
                ]
                if let subject { object["subject"] = subject }
                return try! JSONSerialization.data(withJSONObject: object)
            }
            let poison: [(String, OutgoingMessage)] = [
                ("malformed JSON", OutgoingMessage(topic: topic, key: "case-p", value: Data("{\"id\": 1,".utf8))),
                ("unknown type", OutgoingMessage(topic: topic, key: "case-p", value: envelope(type: "homeward.intake.nothing-known.v1", subject: "case-p"))),
                ("unknown version", OutgoingMessage(topic: topic, key: "case-p", value: envelope(type: "homeward.probe.requested.v7", subject: "case-p"))),
                ("no case id", OutgoingMessage(topic: topic, key: "case-p", value: envelope(type: "homeward.probe.requested.v1", subject: nil))),
                ("rejected by the handler", try EventTraffic.message(CloudEvent(caseID: "case-p", data: ProbeRequested(seq: 99, reject: true)))),
                ("failing handler", try EventTraffic.message(CloudEvent(caseID: "case-p", data: ProbeRequested(seq: -1)))),
            ]
            var good: [CloudEvent<ProbeRequested>] = []
            var messages: [OutgoingMessage] = []
            for (index, (_, bad)) in poison.enumerated() {
                for n in 0..<5 {
                    let event = CloudEvent(caseID: CaseID("case-\(n)"), data: ProbeRequested(seq: index + 1))
                    good.append(event)
                    messages.append(try EventTraffic.message(event))
                }
                messages.append(bad)
            }
            // A catalogue event of another consumer's concern: skipped, not dead-lettered.
            messages.append(try EventTraffic.message(CloudEvent(caseID: "case-0", data: CaseWithdrawn())))
            for result in await producer.send(messages) { _ = try result.get() }

            let view = ProbeStoreView(directory: stage.storeDirectory)
            #expect(await eventually { (try? view.effectTotal()) == good.count })
            let dlqTopic = ServiceName.healthScreening.deadLetterTopic
            var letters: [ConsumedMessage] = []
            #expect(await eventually {
                letters = (try? await cluster.traffic.readAll(dlqTopic)) ?? []
                return letters.count >= poison.count
            })
            #expect(letters.count == poison.count, "exactly the poison, nothing else")
            let originals = try await cluster.traffic.readAll(topic)
            for letter in letters {
                let offset = try #require(letter.headers["x-dlq-original-offset"].flatMap { Int64($0) })
                let original = try #require(originals.first { $0.partition == letter.partition && $0.offset == offset })
                #expect(letter.headers["x-dlq-original-topic"] == topic)
                #expect(letter.headers["x-dlq-original-partition"] == String(letter.partition), "same partition")
                #expect(letter.headers["x-dlq-consumer-group"] == ServiceName.healthScreening.consumerGroup)
                #expect(letter.headers["x-dlq-error"]?.isEmpty == false)
                #expect(letter.headers["x-dlq-failed-at"] != nil)
                #expect(letter.value == original.value, "bytes unchanged")
                #expect(letter.keyString == "case-p")
            }
            let errors = letters.compactMap { $0.headers["x-dlq-error"] }
            #expect(errors.contains { $0.contains("not a JSON object") })
            #expect(errors.contains { $0.contains("no handler for event type 'homeward.intake.nothing-known.v1'") })
            #expect(errors.contains { $0.contains("major version 7 is not supported") })
            #expect(errors.contains { $0.contains("no 'subject'") })
            #expect(errors.contains { $0 == "probe asked to reject" })
            #expect(errors.contains { $0.contains("after 3 attempts") })
            #expect(try view.effectCounts().count == good.count)
            let metrics = try await stage.metrics()
            #expect(metric("homeward_events_dead_lettered_total", in: metrics) == poison.count)
            await stage.child.stop()
            await producer.close()
        }
    }
}
