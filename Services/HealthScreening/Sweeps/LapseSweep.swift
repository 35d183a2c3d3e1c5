import HomewardRuntime
import HomewardStore
import Logging

/// Announces clearances that lapsed while their traveller waits to depart, on a schedule,
/// in the partition stores this replica owns (the announcement is an event: its partition's
/// owner writes it). The check and the announcement share one write transaction, so each
/// lapse is announced once.
enum LapseSweep {
    static func sweep(every interval: Duration, workflow: HealthWorkflow, stores: PartitionStores, ownership: PartitionOwnership,
                      logger: Logger) -> PartitionSweep {
        PartitionSweep("lapse sweep", every: interval, stores: stores, ownership: ownership, logger: logger,
                       pass: { store in try await store.write { db in try workflow.announceLapses(in: db) } },
                       report: { "announced \($0) lapsed clearances" })
    }
}
