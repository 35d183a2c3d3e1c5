import ArgumentParser
import Foundation
import HomewardModel
import Kafka
import Logging
import UnixSignals

/// `homeward-broker`: librdkafka's mock cluster as a process, for local runs and tests.
///
/// Prints `bootstrap=HOST:PORT` on its first line of standard output, writes the address
/// to `--address-file` for services to find, creates every Homeward topic, then reads
/// fault commands, one a line, from standard input:
///
///     down BROKER_ID | up BROKER_ID | rtt BROKER_ID MS
///     errors API_KEY CODE[,CODE...]      (e.g. `errors 0 6,6,6`: three Produce failures)
///     topic NAME PARTITIONS
///
/// Memory only: it keeps nothing across restarts.
@main
struct BrokerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "homeward-broker",
        abstract: "Run the embedded Kafka broker (librdkafka's mock cluster) on loopback.")

    @Option(help: "Number of brokers in the cluster.")
    var brokers = 1

    @Option(help: "Partitions of every topic it creates.")
    var partitions = 12

    @Option(help: "File to write the bootstrap address to (services read data/broker.address by default).")
    var addressFile: String?

    @Option(help: "Additional topic to create (repeatable).")
    var topic: [String] = []

    func run() async throws {
        var logger = Logger(label: "homeward-broker")
        logger.logLevel = .warning
        let broker = try EmbeddedBroker(brokers: brokers, logger: logger)
        let topics = ServiceName.allTopics(partitions: partitions) + topic.map { ($0, partitions) }
        for (name, count) in topics { try broker.createTopic(TopicSpec(name: name, partitions: count)) }
        if let addressFile {
            let directory = (addressFile as NSString).deletingLastPathComponent
            if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
            try (broker.bootstrapServers + "\n").write(toFile: addressFile, atomically: true, encoding: .utf8)
        }
        say("bootstrap=\(broker.bootstrapServers)")

        // Standard input is read on a thread of its own: readLine blocks.
        Thread { Self.readCommands(broker) }.start()
        for await _ in await UnixSignalsSequence(trapping: .sigterm, .sigint) { break }
        if let addressFile { try? FileManager.default.removeItem(atPath: addressFile) }
        broker.shutdown()
    }

    /// Reads fault commands until standard input ends (then the broker just keeps running).
    static func readCommands(_ broker: EmbeddedBroker) {
        while let line = readLine() {
            let words = line.split(separator: " ").map(String.init)
            guard let verb = words.first else { continue }
            do {
                switch (verb, words.count) {
                case ("down", 2): try broker.setBrokerDown(Int32(words[1]) ?? 1)
                case ("up", 2): try broker.setBrokerUp(Int32(words[1]) ?? 1)
                case ("rtt", 3): try broker.setRoundTripTime(broker: Int32(words[1]) ?? 1, milliseconds: Int(words[2]) ?? 0)
                case ("errors", 3):
                    broker.pushRequestErrors(apiKey: Int16(words[1]) ?? 0, errors: words[2].split(separator: ",").compactMap { Int32($0) })
                case ("topic", 3): try broker.createTopic(TopicSpec(name: words[1], partitions: Int(words[2]) ?? 12))
                default:
                    say("error: unknown command: \(line)")
                    continue
                }
                say("ok \(line)")
            } catch {
                say("error: \(error)")
            }
        }
    }
}

/// One line on standard output, flushed at once: tests and `homeward up` read it live.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
