import ArgumentParser
import Foundation
import HomewardModel
import Kafka
import Logging

/// `homeward dlq list | show | replay`: each consumer group's dead letters.
struct DeadLetterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dlq", abstract: "Inspect and replay a consumer group's dead letters.",
        subcommands: [List.self, Show.self, Replay.self])

    static var quiet: Logger {
        var logger = Logger(label: "homeward")
        logger.logLevel = .critical
        return logger
    }

    static func service(_ name: String) throws -> ServiceName {
        guard let service = ServiceName(rawValue: name) else {
            FileHandle.standardError.write(Data("homeward dlq: no service named \(name) (intake, health-screening, travel-booking, reintegration)\n".utf8))
            throw ExitCode(1)
        }
        return service
    }

    static func letters(of service: ServiceName, broker: BrokerAddress) async throws -> [ConsumedMessage] {
        do {
            return try await TopicReader.readAll(topic: service.deadLetterTopic, config: KafkaConfig(bootstrapServers: try broker.resolve()),
                                                 timeout: .seconds(30), logger: quiet)
        } catch let error as KafkaError {
            FileHandle.standardError.write(Data("homeward dlq: \(error.message)\n".utf8))
            throw ExitCode(1)
        }
    }

    /// `PARTITION:OFFSET`, as `list` prints them.
    static func position(_ text: String) throws -> (Int32, Int64) {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let partition = Int32(parts[0]), let offset = Int64(parts[1]) else {
            throw ValidationError("'\(text)' is not PARTITION:OFFSET")
        }
        return (partition, offset)
    }

    static func type(of message: ConsumedMessage) -> String {
        ((try? JSONSerialization.jsonObject(with: message.value)) as? [String: Any])?["type"] as? String ?? "(undecodable)"
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the dead letters of one service's consumer group, or of all.")

        @Argument(help: "The service whose group's dead letters to list (default: all).") var service: String?
        @OptionGroup var broker: BrokerAddress

        func run() async throws {
            let services = try service.map { [try DeadLetterCommand.service($0)] } ?? ServiceName.allCases
            for service in services {
                let letters = try await DeadLetterCommand.letters(of: service, broker: broker)
                print("\(service.deadLetterTopic): \(letters.count) dead letter\(letters.count == 1 ? "" : "s")")
                for m in letters {
                    print("  \(m.partition):\(m.offset)  \(m.headers[DeadLetterHeader.failedAt] ?? "-")  from \(m.headers[DeadLetterHeader.originalTopic] ?? "?")"
                          + "[\(m.headers[DeadLetterHeader.originalPartition] ?? "?")]@\(m.headers[DeadLetterHeader.originalOffset] ?? "?")  "
                          + "\(DeadLetterCommand.type(of: m))  case \(m.keyString ?? "-")  \(m.headers[DeadLetterHeader.error] ?? "")")
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one dead letter: its provenance and the original message.")

        @Argument(help: "The service whose group dead-lettered it.") var service: String
        @Argument(help: "PARTITION:OFFSET in the dead-letter topic, as `list` prints it.") var position: String
        @OptionGroup var broker: BrokerAddress

        func run() async throws {
            let (partition, offset) = try DeadLetterCommand.position(position)
            let letters = try await DeadLetterCommand.letters(of: try DeadLetterCommand.service(service), broker: broker)
            guard let m = letters.first(where: { $0.partition == partition && $0.offset == offset }) else {
                FileHandle.standardError.write(Data("homeward dlq show: no dead letter at \(position)\n".utf8))
                throw ExitCode(1)
            }
            print("key: \(m.keyString ?? "-")")
            for header in m.headers { print("\(header.name): \(header.stringValue ?? "<bytes>")") }
            print("")
            print(String(decoding: m.value, as: UTF8.self))
        }
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send dead letters back to their original topic once their cause is fixed.",
            discussion: """
                Each replayed message goes back with its key and bytes, marked x-homeward-replay. \
                The consumer group applies an event it dead-lettered once; any other copy, and any \
                other group's copy, is a duplicate its inbox absorbs. A replay that fails again is \
                dead-lettered again.
                """)

        @Argument(help: "The service whose group dead-lettered them.") var service: String
        @Argument(help: "PARTITION:OFFSET of each dead letter to replay.") var positions: [String] = []
        @Flag(help: "Replay every dead letter of the group.") var all = false
        @OptionGroup var broker: BrokerAddress

        func validate() throws {
            guard all != !positions.isEmpty else { throw ValidationError("give PARTITION:OFFSET positions, or --all") }
        }

        func run() async throws {
            let group = try DeadLetterCommand.service(service)
            let wanted = try Set(positions.map { try DeadLetterCommand.position($0) }.map { "\($0.0):\($0.1)" })
            let letters = try await DeadLetterCommand.letters(of: group, broker: broker).filter { all || wanted.contains("\($0.partition):\($0.offset)") }
            guard all || letters.count == wanted.count else {
                FileHandle.standardError.write(Data("homeward dlq replay: not every position is a dead letter of \(group.rawValue)\n".utf8))
                throw ExitCode(1)
            }
            let messages = letters.compactMap { m -> OutgoingMessage? in
                guard let topic = m.headers[DeadLetterHeader.originalTopic] else { return nil }
                let headers = m.headers.filter { !DeadLetterHeader.isDeadLetterHeader($0.name) }
                    + [KafkaHeader(name: DeadLetterHeader.replay, string: "\(group.deadLetterTopic):\(m.partition):\(m.offset)")]
                return OutgoingMessage(topic: topic, partition: m.keyString == nil ? Int32(m.headers[DeadLetterHeader.originalPartition] ?? "") : nil,
                                       key: m.keyString, value: m.value, headers: headers)
            }
            let producer = try KafkaProducer(config: KafkaConfig(bootstrapServers: try broker.resolve()), logger: DeadLetterCommand.quiet)
            let failed = await producer.send(messages).filter { if case .failure = $0 { true } else { false } }.count
            await producer.close()
            guard failed == 0 else {
                FileHandle.standardError.write(Data("homeward dlq replay: \(failed) of \(messages.count) not delivered; replay them again\n".utf8))
                throw ExitCode(1)
            }
            print("replayed \(messages.count) dead letter\(messages.count == 1 ? "" : "s") of \(group.rawValue)")
        }
    }
}
