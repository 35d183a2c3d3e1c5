import ArgumentParser
import Foundation
import GRDB
import HomewardModel
import Kafka
import Logging

/// The broker address: the flag, then `KAFKA_BOOTSTRAP_SERVERS`, then the embedded
/// broker's address file.
struct BrokerAddress: ParsableArguments {
    @Option(help: "Kafka bootstrap servers.") var bootstrap: String?
    @Option(help: "The embedded broker's address file.") var addressFile = "data/broker.address"

    func resolve() throws -> String {
        if let bootstrap { return bootstrap }
        if let value = ProcessInfo.processInfo.environment["KAFKA_BOOTSTRAP_SERVERS"], !value.isEmpty { return value }
        if let text = try? String(contentsOfFile: addressFile, encoding: .utf8), !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        FileHandle.standardError.write(Data("homeward: no broker: give --bootstrap, set KAFKA_BOOTSTRAP_SERVERS, or start the local stack (make run)\n".utf8))
        throw ExitCode(1)
    }
}

/// `homeward topics`: Homeward's topics and their partitions.
struct TopicsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "topics", abstract: "List Homeward's topics and their partition counts.")

    @OptionGroup var broker: BrokerAddress

    func run() async throws {
        var logger = Logger(label: "homeward")
        logger.logLevel = .critical
        let address = try broker.resolve()
        do {
            let topics = try await KafkaAdmin.topics(config: KafkaConfig(bootstrapServers: address), timeout: .seconds(5), logger: logger)
            for name in topics.keys.filter({ $0.hasPrefix("homeward.") }).sorted() {
                print("\(name.padding(toLength: 36, withPad: " ", startingAt: 0)) \(topics[name]!) partition\(topics[name]! == 1 ? "" : "s")")
            }
        } catch {
            FileHandle.standardError.write(Data("homeward topics: \(error.message)\n".utf8))
            throw ExitCode(1)
        }
    }
}

/// `homeward backup SERVICE DIRECTORY`: SQLite's online backup of every store of a service
/// (its service store and one per partition), safe while the service runs: each file is
/// copied under a read transaction of its WAL. Each partition store is consistent in itself
/// (its records, inbox and outbox together), which is all a restore needs: partitions are
/// independent of one another.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Back up a service's stores while it runs.",
        discussion: """
            Restore: stop every replica of the service, replace its store directory with the \
            backup directory (no -wal or -shm files may be left in it), start it again. Events it \
            published after the backup are re-published from the outbox and absorbed by consumers' \
            inboxes; events it consumed after the backup are consumed again only if their offsets \
            were not committed, so restore only a backup taken after the service stopped consuming, \
            or accept that the restored stores miss those effects.
            """)

    @Argument(help: "intake, health-screening, travel-booking or reintegration.") var service: String
    @Argument(help: "A new directory to write the backup into.") var path: String
    @Option(help: "The service's store directory (default: data/SERVICE, as make run keeps it).") var store: String?

    func run() async throws {
        guard let name = ServiceName(rawValue: service) else {
            FileHandle.standardError.write(Data("homeward backup: no service named \(service) (intake, health-screening, travel-booking, reintegration)\n".utf8))
            throw ExitCode(1)
        }
        let source = store ?? "data/\(name.rawValue)"
        let files = storeFiles(in: source)
        guard !files.isEmpty else {
            FileHandle.standardError.write(Data("homeward backup: no stores in \(source)\n".utf8))
            throw ExitCode(1)
        }
        guard !FileManager.default.fileExists(atPath: path) else {
            FileHandle.standardError.write(Data("homeward backup: \(path) exists; choose a new directory\n".utf8))
            throw ExitCode(1)
        }
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(30)
        var size = 0
        for file in files {
            let target = "\(path)/\((file as NSString).lastPathComponent)"
            let from = try DatabasePool(path: file, configuration: configuration)
            let to = try DatabaseQueue(path: target)
            try from.backup(to: to)
            try to.close()
            size += (try? FileManager.default.attributesOfItem(atPath: target)[.size] as? Int) ?? 0
        }
        print("backed up \(name.rawValue): \(files.count) stores from \(source) to \(path) (\(size / 1024) KiB)")
    }
}
