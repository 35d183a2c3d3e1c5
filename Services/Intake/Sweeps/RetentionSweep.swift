import Foundation
import HomewardModel
import HomewardRuntime
import HomewardStore
import Logging
import ServiceLifecycle

/// Erases the personal data of cases that ended (closed, withdrawn, revoked, not eligible)
/// longer ago than the retention period, through the same path as an erasure request:
/// intake erases its own and announces ``PersonalDataErased`` to the other services.
/// It sweeps the partition stores this replica owns (erasure publishes an event); each case
/// is one write transaction, so each is erased once.
struct RetentionSweep: Service {
    let stores: PartitionStores
    let ownership: PartitionOwnership
    let workflow: IntakeWorkflow
    let retention: TimeInterval
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await repeatUntilShutdown(every: interval, logger: logger, what: "retention sweep") {
            let erased = try await sweep()
            if erased > 0 {
                logger.info("retention: erased the personal data of \(erased) cases that ended more than \(retention / 86_400) days ago")
            }
        }
    }

    /// One pass; returns how many cases it erased.
    func sweep() async throws -> Int {
        var erased = 0
        for partition in ownership.held { erased += try await sweep(stores[partition]) }
        return erased
    }

    private func sweep(_ store: Store) async throws -> Int {
        let workflow = self.workflow
        let cutoff = workflow.clock().addingTimeInterval(-retention)
        var erased = 0
        var seen = Set<CaseID>()
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let due = try await store.read { db in try CaseRepository.endedBefore(cutoff, limit: 50, in: db) }.filter { !seen.contains($0) }
            guard !due.isEmpty else { break }
            for caseID in due {
                seen.insert(caseID)
                try await store.write { db in try workflow.eraseExpired(caseID, in: db) }
                erased += 1
            }
        }
        return erased
    }
}
