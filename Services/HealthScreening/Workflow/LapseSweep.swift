import Foundation
import HomewardRuntime
import HomewardStore
import Logging
import ServiceLifecycle

/// Announces clearances that lapsed while their traveller waits to depart, on a schedule.
/// The check and the announcement share one write transaction, so replicas sweeping the
/// same store announce each lapse once.
struct LapseSweep: Service {
    let store: Store
    let workflow: HealthWorkflow
    let interval: Duration
    let logger: Logger

    func run() async throws {
        let workflow = self.workflow
        await repeatUntilShutdown(every: interval, logger: logger, what: "lapse sweep") {
            let announced = try await store.write { db in try workflow.announceLapses(in: db) }
            if announced > 0 { logger.info("announced \(announced) lapsed clearances") }
        }
    }
}
