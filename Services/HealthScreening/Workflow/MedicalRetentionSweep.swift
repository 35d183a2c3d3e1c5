import Foundation
import HomewardRuntime
import HomewardStore
import Logging

/// Medical detail has a period of its own, shorter than the case's: once every traveller of
/// a case has departed or the case has closed here, and `retention` has passed since, the
/// case's exams, requirements and medical certificates are erased as an erasure erases them
/// (recorded in the ledger, so that a restored backup does not bring them back); the
/// figures stay, and intake's retention still erases the rest of the case later.
enum MedicalRetentionSweep {
    static func sweep(every interval: Duration, retention: TimeInterval, workflow: HealthWorkflow, stores: PartitionStores,
                      ownership: PartitionOwnership, logger: Logger) -> PartitionSweep {
        PartitionSweep("medical retention sweep", every: interval, stores: stores, ownership: ownership, logger: logger,
                       pass: { store in
                           let now = workflow.clock()
                           let due = try await store.read { db in try HealthRepository.casesDoneBefore(now.addingTimeInterval(-retention), limit: 50, in: db) }
                           guard !due.isEmpty else { return 0 }
                           try await store.write { db in for caseID in due { try PersonalDataErasedHandler.erase(caseID, at: now, in: db) } }
                           return due.count
                       },
                       report: { "medical retention: erased the medical detail of \($0) cases departed or closed more than \(Int(retention / 86_400)) days ago" })
    }
}
