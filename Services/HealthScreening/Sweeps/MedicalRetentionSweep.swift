import Foundation
import HomewardModel
import HomewardRuntime
import HomewardStore
import Logging

/// Medical detail is kept for the fitness-to-travel decision and the journey, not for the
/// life of the case: once every traveller of a case departed or was closed longer ago than
/// the medical retention, its exams, travel requirements and documents are erased here, as
/// an erasure would, leaving the outcomes and their dates. Nothing is announced: no other
/// service holds medical detail.
enum MedicalRetentionSweep {
    static func sweep(every interval: Duration, retention: TimeInterval, clock: @escaping @Sendable () -> Date, stores: PartitionStores,
                      ownership: PartitionOwnership, logger: Logger) -> PartitionSweep {
        PartitionSweep("medical retention sweep", every: interval, stores: stores, ownership: ownership, logger: logger,
                       pass: { store in try await erase(in: store, endedBefore: clock().addingTimeInterval(-retention), at: clock) },
                       report: { "medical retention: erased the medical detail of \($0) cases whose travellers left more than \(retention / 86_400) days ago" })
    }

    /// Up to 50 cases per transaction.
    static func erase(in store: Store, endedBefore cutoff: Date, at clock: @escaping @Sendable () -> Date) async throws -> Int {
        try await PartitionSweep.inBatches {
            try await store.write { db in
                let due = try HealthRepository.medicalDetailPastRetention(endedBefore: cutoff, limit: 50, in: db)
                for caseID in due { try HealthRepository.eraseMedicalDetail(caseID, at: clock(), in: db) }
                return due.count
            }
        }
    }
}
