import Foundation
import HomewardModel
import HomewardRuntime
import HomewardStore
import Logging
import ServiceLifecycle

/// Erases the personal data of cases that ended (closed, withdrawn, revoked, not eligible)
/// longer ago than the retention period, through the same path as an erasure request:
/// intake erases its own and announces ``PersonalDataErased`` to the other services.
/// First it withdraws the active cases not yet departed that have had no step on their
/// timeline for the inactivity period, so that no case escapes retention by never ending.
/// It sweeps the partition stores this replica owns (erasure publishes an event).
enum RetentionSweep {
    static func sweep(every interval: Duration, retention: TimeInterval?, inactivity: TimeInterval?, workflow: IntakeWorkflow,
                      stores: PartitionStores, ownership: PartitionOwnership, logger: Logger) -> PartitionSweep {
        PartitionSweep("retention sweep", every: interval, stores: stores, ownership: ownership, logger: logger,
                       pass: { store in
                           let now = workflow.clock()
                           var done = 0
                           if let inactivity {
                               done += try await withdraw(in: store, quietSince: now.addingTimeInterval(-inactivity), days: inactivity / 86_400, workflow: workflow)
                           }
                           if let retention { done += try await erase(in: store, endedBefore: now.addingTimeInterval(-retention), workflow: workflow) }
                           return done
                       },
                       report: { "retention: erased the personal data of ended cases, or withdrew inactive ones: \($0) cases" })
    }

    /// Up to 50 cases in one transaction, as ``erase(in:endedBefore:workflow:)``.
    private static func withdraw(in store: Store, quietSince cutoff: Date, days: Double, workflow: IntakeWorkflow) async throws -> Int {
        let due = try await store.read { db in try CaseRepository.activeWithoutStepSince(cutoff, limit: 50, in: db) }
        guard !due.isEmpty else { return 0 }
        try await store.write { db in for caseID in due { try workflow.withdrawInactive(caseID, days: days, in: db) } }
        return due.count
    }

    /// Up to 50 cases in one transaction: each is erased once (an erased case is skipped),
    /// and the store's WAL is checkpointed once per batch, not once per case (``Store/write(_:)``).
    private static func erase(in store: Store, endedBefore cutoff: Date, workflow: IntakeWorkflow) async throws -> Int {
        var erased = 0
        var seen = Set<CaseID>()
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let due = try await store.read { db in try CaseRepository.endedBefore(cutoff, limit: 50, in: db) }.filter { !seen.contains($0) }
            guard !due.isEmpty else { break }
            seen.formUnion(due)
            try await store.write { db in for caseID in due { try workflow.eraseExpired(caseID, in: db) } }
            erased += due.count
        }
        return erased
    }
}
