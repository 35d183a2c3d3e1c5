import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore

/// The case's personal data is erased everywhere: here, its documents and what describes the person and
/// what they received; the figures stay.
/// Confirmed to intake (``ReintegrationErasureApplied``).
struct PersonalDataErasedHandler: EventHandler {
    func handle(_ erased: PersonalDataErased, of event: ReceivedEvent, in db: Database) throws {
        try Self.erase(event.caseID, at: event.time, in: db)
        try Outbox.append(event.causing(ReintegrationErasureApplied(), time: event.time), in: db)
    }

    /// This service's part of an erasure; also what erases a case again in a store restored
    /// from a backup taken before it (``ErasureLedger``).
    static func erase(_ caseID: CaseID, at erasedAt: Date, in db: Database) throws {
        try ReintegrationRepository.addCase(caseID, at: erasedAt, in: db)
        try ReintegrationRepository.erase(caseID, at: erasedAt, in: db)
        try DocumentStore.erase(caseID, at: erasedAt, in: db)
        try IdempotentAnswer.forget(caseID: caseID.rawValue, in: db)
    }
}
