import Foundation
import GRDB
import Kafka
import TestSupport
import Testing

/// A case's partition must be the same number on every topic and in the stores: a service
/// refuses to start, saying why, when the topics or its stores disagree with its setting.
@Suite("Partition layout", .serialized)
struct PartitionLayoutTests {
    @Test func topicsWithAnotherPartitionCountAreRefusedByName() async throws {
        let cluster = try TestCluster("layout-topics")   // every topic at 4 partitions
        let service = try cluster.service("health-screening", extra: ["KAFKA_TOPIC_PARTITIONS": "12"])
        await Self.expectRefusal(service, saying: "configuration KAFKA_TOPIC_PARTITIONS: 12, but homeward.health-screening.events has 4")
    }

    @Test func storesMadeForAnotherPartitionCountAreRefused() async throws {
        let cluster = try TestCluster("layout-stores")
        let first = try await cluster.readyService("health-screening")
        await first.child.stop()
        #expect(StoreFiles.partitions(in: first.storeDirectory).count == 4)
        let again = try cluster.service("health-screening", extra: ["KAFKA_TOPIC_PARTITIONS": "8"])
        await Self.expectRefusal(again, saying: "were made for 4 partitions")
    }

    /// The service exits with status 1, its log saying why.
    static func expectRefusal(_ service: ServiceProcess, saying reason: String, sourceLocation: SourceLocation = #_sourceLocation) async {
        #expect(await service.child.waitForExit(timeout: .seconds(60)) == 1, sourceLocation: sourceLocation)
        #expect(service.child.log.contains(reason), "\(service.child.log.suffix(2000))", sourceLocation: sourceLocation)
    }

    /// Homeward's producers put a keyed record where Kafka's Java client would: the same
    /// partition as ``KafkaPartitioner``, for every case id tried.
    @Test func producersPartitionCaseIDsAsKafkasJavaClientDoes() async throws {
        let cluster = try TestCluster("layout-partitioner")
        let producer = try cluster.traffic.makeProducer()
        let keys = (0..<200).map { "HW-\(String($0 * 7919, radix: 16))" }
        for result in await producer.send(keys.map { OutgoingMessage(topic: "homeward.intake.events", key: $0, value: Data($0.utf8)) }) {
            _ = try result.get()
        }
        await producer.close()
        let records = try await cluster.traffic.readAll("homeward.intake.events")
        #expect(records.count == keys.count)
        for record in records {
            #expect(record.partition == KafkaPartitioner.partition(ofKey: record.key ?? Data(), partitions: 4), "\(record.keyString ?? "")")
        }
        // Kafka's own test vectors for murmur2.
        #expect(Int32(bitPattern: KafkaPartitioner.murmur2(Array("21".utf8))) == -973_932_308)
        #expect(Int32(bitPattern: KafkaPartitioner.murmur2(Array("foobar".utf8))) == -790_332_482)
        #expect(Int32(bitPattern: KafkaPartitioner.murmur2(Array("a-little-bit-long-string".utf8))) == -985_981_536)
        #expect(Int32(bitPattern: KafkaPartitioner.murmur2(Array("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8".utf8))) == -58_897_971)
    }
}
