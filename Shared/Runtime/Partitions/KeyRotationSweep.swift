import Foundation
public import HomewardStore
public import Logging
import Metrics
public import ServiceLifecycle

/// Re-seals values sealed under keys other than the active one, values in the v1 format
/// (keys derived without the service's name: a store from before each service derived its
/// own), and values written before sealing, in small batches, with their keyed hashes; then checks again every
/// `recheckInterval` (replicas may still seal under the old key during a rolling change).
///
/// Progress: the `homeward_store_values_to_reseal` gauge, and log lines; "rotation
/// complete" once nothing is left, after which keys other than the active one can go.
///
/// It sweeps every store of the service (replicas sweeping one store at once only share
/// the work: repeating a batch is harmless).
public struct KeyRotationSweep: Service {
    /// A store and the sealed columns it has.
    public typealias Target = (store: Store, columns: [SealedColumn])
    let targets: [Target]
    let batchSize: Int
    let pause: Duration
    let recheckInterval: Duration
    let logger: Logger
    private let remaining = Gauge(label: "homeward_store_values_to_reseal")

    public init(targets: [Target], batchSize: Int = 200, pause: Duration = .milliseconds(20),
                recheckInterval: Duration = .seconds(600), logger: Logger) {
        self.targets = targets
        self.batchSize = batchSize
        self.pause = pause
        self.recheckInterval = recheckInterval
        self.logger = logger
    }

    public func run() async throws {
        guard let cipher = targets.first?.store.cipher else { return }
        let active = cipher.activeKeyID
        var announced = false
        await repeatUntilShutdown(every: recheckInterval, logger: logger, what: "store key rotation") {
            let resealed = try await sweep(active: active)
            if resealed > 0 || !announced {
                let count = resealed > 0 ? " (\(resealed) re-sealed)" : ""
                logger.info("rotation complete: every sealed value is under key \(active)\(count)",
                            metadata: ["resealed": "\(resealed)", "key_id": "\(active)"])
                announced = true
            }
        }
    }

    /// One pass over every column of every store; returns how many values it re-sealed.
    public func sweep(active: String) async throws -> Int {
        var pending = try await pendingCount(active: active)
        remaining.record(pending)
        guard pending > 0 else { return 0 }
        logger.info("rotation: \(pending) sealed values to re-seal under key \(active)")
        var done = 0
        var reported = ContinuousClock.now
        for (store, columns) in targets {
            for column in columns {
                while true {
                    if Task.isShuttingDownGracefully || Task.isCancelled { throw CancellationError() }
                    let batch = batchSize
                    let count = try await store.write { db in try KeyRotation.resealBatch(column, activeKeyID: active, limit: batch, in: db) }
                    guard count > 0 else { break }
                    done += count
                    pending = max(0, pending - count)
                    remaining.record(pending)
                    if ContinuousClock.now - reported > .seconds(5) {
                        logger.info("rotation: \(done) re-sealed, \(pending) to go")
                        reported = .now
                    }
                    try await Task.sleep(for: pause)
                }
            }
        }
        remaining.record(try await pendingCount(active: active))
        return done
    }

    private func pendingCount(active: String) async throws -> Int {
        var total = 0
        for (store, columns) in targets {
            total += try await store.read { db in try KeyRotation.pending(columns, activeKeyID: active, in: db) }
        }
        return total
    }
}
