import ArgumentParser
import HomewardModel

/// `--replicas health-screening=2,travel-booking=3`: how many processes of a service run
/// on the local stack, all sharing its stores (each owns the partitions Kafka assigns it).
struct ReplicaCounts: ParsableArguments {
    @Option(help: "Replicas of a service, SERVICE=N (comma-separated or repeated), or N for every service.")
    var replicas: [String] = []

    func counts() throws -> [ServiceName: Int] {
        var counts: [ServiceName: Int] = [:]
        for entry in replicas.flatMap({ $0.split(separator: ",") }) {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard let count = Int(parts.last!), (1...32).contains(count) else {
                throw ValidationError("--replicas \(entry): the count is a whole number from 1 to 32")
            }
            guard parts.count == 2 else {
                for service in ServiceName.allCases { counts[service] = count }
                continue
            }
            guard let service = ServiceName(rawValue: parts[0]) else {
                throw ValidationError("--replicas \(entry): no service named \(parts[0]) (\(ServiceName.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            counts[service] = count
        }
        return counts
    }
}
