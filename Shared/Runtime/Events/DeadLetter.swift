import Kafka
import Foundation
import GRDB
import HomewardModel
import HomewardStore

/// A message this consumer group could not apply, sent to the group's dead-letter topic
/// through the outbox: same partition and key, bytes unchanged, with its provenance.
enum DeadLetter {
    /// The inbox id of a message: its event id when it has one, else its coordinates,
    /// so that a redelivered poison message is dead-lettered once.
    static func inboxID(of message: ConsumedMessage, eventID: String?) -> String {
        eventID ?? "kafka:\(message.topic):\(message.partition):\(message.offset)"
    }

    static func append(_ message: ConsumedMessage, inboxID: String, group: String, deadLetterTopic: String, error: String, in db: Database) throws {
        let headers = message.headers.filter { !DeadLetterHeader.isDeadLetterHeader($0.name) }.map { ($0.name, $0.stringValue ?? "") } + [
            (DeadLetterHeader.originalTopic, message.topic),
            (DeadLetterHeader.originalPartition, String(message.partition)),
            (DeadLetterHeader.originalOffset, String(message.offset)),
            (DeadLetterHeader.consumerGroup, group),
            (DeadLetterHeader.error, String(error.prefix(500))),
            (DeadLetterHeader.failedAt, Instant.format(Date())),
        ]
        try Outbox.insert(
            eventID: "dlq:" + inboxID, topic: deadLetterTopic, partition: message.partition,
            key: message.keyString, value: message.value, headers: headers, in: db)
    }
}
