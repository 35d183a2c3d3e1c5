import ArgumentParser
import Foundation
import HomewardModel
import Kafka
import Logging

/// `homeward lag`: how far each service's consumer group is behind, per partition.
struct LagCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lag", abstract: "Show consumer lag per group and partition.",
        discussion: "Lag is the partition's end offset minus the group's committed offset; a group that never committed there lags by everything the partition holds.")

    @Argument(help: "The service whose group to show (default: all four).") var service: String?
    @Flag(help: "Also list partitions that have never held an event.") var all = false
    @OptionGroup var broker: BrokerAddress

    func run() async throws {
        let services: [ServiceName]
        if let service {
            guard let name = ServiceName(rawValue: service) else {
                FileHandle.standardError.write(Data("homeward lag: no service named \(service) (intake, health-screening, travel-booking, reintegration)\n".utf8))
                throw ExitCode(1)
            }
            services = [name]
        } else {
            services = ServiceName.allCases
        }
        let config = KafkaConfig(bootstrapServers: try broker.resolve())
        print("GROUP                         TOPIC                              PARTITION  COMMITTED        END        LAG")
        for service in services {
            let lags: [PartitionLag]
            do {
                lags = try await Self.lags(of: service, config: config)
            } catch {
                FileHandle.standardError.write(Data("homeward lag: \(error.message)\n".utf8))
                throw ExitCode(1)
            }
            for lag in lags where all || lag.end > 0 {
                print(lag.group.padding(toLength: 29, withPad: " ", startingAt: 0) + " "
                      + lag.partition.topic.padding(toLength: 34, withPad: " ", startingAt: 0) + " "
                      + Self.column(String(lag.partition.partition), 9) + " " + Self.column(lag.committed.map(String.init) ?? "-", 10)
                      + " " + Self.column(String(lag.end), 10) + " " + Self.column(String(lag.lag), 10))
            }
            print("\(service.consumerGroup): \(lags.reduce(0) { $0 + $1.lag }) behind in total")
        }
    }

    static func lags(of service: ServiceName, config: KafkaConfig) async throws(KafkaError) -> [PartitionLag] {
        var logger = Logger(label: "homeward")
        logger.logLevel = .critical
        return try await KafkaAdmin.lag(group: service.consumerGroup, topics: service.subscriptions.map(\.topic), config: config, logger: logger)
    }

    static func column(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
