import Foundation
import HomewardRuntime
import HomewardStore
import Logging
import ServiceLifecycle

/// Announces clearances that lapsed while their traveller waits to depart, on a schedule,
/// in the partition stores this replica owns (the announcement is an event: its partition's
/// owner writes it). The check and the announcement share one write transaction, so each
/// lapse is announced once.
struct LapseSweep: Service {
    let stores: PartitionStores
    let ownership: PartitionOwnership
    let workflow: HealthWorkflow
    let interval: Duration
    let logger: Logger

    func run() async throws {
        let workflow = self.workflow
        await repeatUntilShutdown(every: interval, logger: logger, what: "lapse sweep") {
            var announced = 0
            for partition in ownership.held {
                announced += try await stores[partition].write { db in try workflow.announceLapses(in: db) }
            }
            if announced > 0 { logger.info("announced \(announced) lapsed clearances") }
        }
    }
}
