public import HomewardStore
public import Logging
public import ServiceLifecycle

/// A service's work on a schedule (lapses, retention) over the partition stores this
/// replica owns: a pass that writes events covers only stores whose events it publishes.
/// Each pass answers how many things it did, logged when there were any.
public struct PartitionSweep: Service {
    let what: String
    let interval: Duration
    let stores: PartitionStores
    let ownership: PartitionOwnership
    let logger: Logger
    let pass: @Sendable (Store) async throws -> Int
    let report: @Sendable (Int) -> String
    /// A store swept whoever owns what (the service store), besides the owned partitions.
    let including: Store?

    /// - Parameters:
    ///   - what: names the sweep in error lines.
    ///   - pass: one pass over one store; how many things it did.
    ///   - report: the log line after a pass over every store that did something.
    public init(_ what: String, every interval: Duration, stores: PartitionStores, ownership: PartitionOwnership, including: Store? = nil,
                logger: Logger, pass: @escaping @Sendable (Store) async throws -> Int, report: @escaping @Sendable (Int) -> String) {
        (self.what, self.interval, self.stores, self.ownership, self.logger) = (what, interval, stores, ownership, logger)
        (self.pass, self.report, self.including) = (pass, report, including)
    }

    /// Repeats `batch`, one transaction each so that consumers wait for none long, until it
    /// does nothing; how much it did in all.
    public static func inBatches(_ batch: () async throws -> Int) async throws -> Int {
        var done = 0
        while !Task.isCancelled {
            let count = try await batch()
            done += count
            if count == 0 { break }
        }
        return done
    }

    public func run() async throws {
        await repeatUntilShutdown(every: interval, logger: logger, what: what) { _ = try await sweep() }
    }

    /// One pass over every store this replica owns; how many things it did.
    public func sweep() async throws -> Int {
        var done = 0
        if let including { done += try await pass(including) }
        for partition in ownership.held { done += try await pass(stores[partition]) }
        if done > 0 { logger.info("\(report(done))") }
        return done
    }
}
