import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore

/// The case's personal data is erased everywhere: here, its documents and its medical detail.
/// Confirmed to intake (``HealthErasureApplied``).
struct PersonalDataErasedHandler: EventHandler {
    func handle(_ erased: PersonalDataErased, of event: ReceivedEvent, in db: Database) throws {
        try Self.erase(event.caseID, at: event.time, in: db)
        try Outbox.append(event.causing(HealthErasureApplied(), time: event.time), in: db)
    }

    /// This service's part of an erasure; also what erases a case again in a store restored
    /// from a backup taken before it (``ErasureLedger``).
    static func erase(_ caseID: CaseID, at erasedAt: Date, in db: Database) throws {
        try HealthRepository.erase(caseID, at: erasedAt, in: db)
        try IdempotentAnswer.forget(caseID: caseID.rawValue, in: db)
    }
}
