import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore
@testable import HealthScreening
import TestSupport
import Testing
import HealthScreeningAPI

/// An erasure reaches every copy on the disk: the store's file, its WAL and their free
/// pages keep no sealed medical value that still opens under the service's keys, and a
/// backup restored after the erasure is erased again before it serves.
@Suite("Health screening erasure, on the disk")
struct HealthErasureTests {
    static let cipher = try! FieldCipher(keys: [("k1", Data(repeating: 9, count: 32))], active: "k1", service: "health-screening")
    static let columns = (HealthSchema.sealedColumns + KeyRotation.runtimeColumns).map { "\($0.table).\($0.column)" }
    let directory: URL
    let ledger: ErasureLedger

    init() throws {
        directory = try makeWorkDirectory("health-erasure")
        ledger = try ErasureLedger(path: directory.appendingPathComponent("health-screening.erasures.sqlite").path)
    }

    var storeDirectory: String { directory.appendingPathComponent("health-screening").path }

    func openStores() throws -> PartitionStores {
        try PartitionStores(directory: storeDirectory, partitionCount: 1, cipher: Self.cipher, ledger: ledger, legacyStore: nil,
                            partitionedTables: HealthSchema.partitionedTables, migrations: HealthSchema.register)
    }

    func apply<P: EventPayload>(_ payload: P, to store: Store) throws {
        let handlers = HealthScreeningService.handlers(HealthWorkflow(rules: HealthFixtures.rules, clock: { HealthFixtures.now }))
        try store.write { db in try handlers.apply(.received(payload, case: "C1", at: HealthFixtures.now), in: db) }
    }

    /// The family screened: the adult's exam, with marked results, notes and conditions, twice.
    func screenFamily(in store: Store) throws {
        try apply(HealthFixtures.family, to: store)
        let workflow = HealthWorkflow(rules: HealthFixtures.rules, clock: { HealthFixtures.now })
        for day in ["2026-06-09", "2026-06-10"] {
            try store.write { db in
                try workflow.recordExam("C1-T1", ExamInput(examinedOn: LocalDate(day)!, results: HealthFixtures.fullResults,
                                                           notes: "MARK-NOTE", conditions: ["MARK-COND"], recordedBy: "ho-1"), in: db)
            }
        }
    }

    /// What of the person's medical data the files still give away: clear markers, and
    /// sealed values that open to one.
    func leftovers(of store: Store) throws -> [String] {
        let files = StoreBytes.files(of: store.path)
        let opened = try StoreBytes.openable(in: files, cipher: Self.cipher, columns: Self.columns).filter { $0.contains("MARK-") }
        return opened + (StoreBytes.contains("MARK-", in: files) ? ["MARK- in clear"] : [])
    }

    @Test func noErasedValueOpensFromTheStoreFileItsWALOrFreePages() throws {
        let stores = try openStores()
        let store = stores.store(for: "C1")
        try screenFamily(in: store)
        let sealed = try store.read { db in try String.fetchAll(db, sql: "SELECT results FROM health_exam") }
        #expect(sealed.count == 2 && sealed.allSatisfy { $0.hasPrefix("v2.k1.") })
        #expect(try !leftovers(of: store).isEmpty, "the check sees sealed values before the erasure")

        try apply(PersonalDataErased(reason: .request), to: store)

        #expect(try leftovers(of: store).isEmpty)
        for value in sealed {
            #expect(!StoreBytes.contains(String(value.dropFirst(6)), in: StoreBytes.files(of: store.path)), "no copy of an erased ciphertext")
        }
        #expect(try ledger.erasures().map(\.caseID) == ["C1"])
        try stores.close()
    }

    @Test func aBackupRestoredAfterAnErasureIsErasedAgainBeforeItServes() throws {
        var stores = try openStores()
        try screenFamily(in: stores.store(for: "C1"))
        // `homeward backup`: SQLite's online backup of each store file.
        let backup = directory.appendingPathComponent("backup").path
        try FileManager.default.createDirectory(atPath: backup, withIntermediateDirectories: true)
        for store in stores.all {
            let copy = try DatabaseQueue(path: "\(backup)/\((store.path as NSString).lastPathComponent)")
            try store.pool.backup(to: copy)
            try copy.close()
        }
        try apply(PersonalDataErased(reason: .request), to: stores.store(for: "C1"))
        try stores.close()

        // Restore as deploy/README says: stop, replace the store directory with the backup, start.
        try FileManager.default.removeItem(atPath: storeDirectory)
        try FileManager.default.moveItem(atPath: backup, toPath: storeDirectory)
        stores = try openStores()
        #expect(try stores.store(for: "C1").read { db in try HealthRepository.record("C1-T1", in: db)?.screenings.first?.exams.count } == 2,
                "the backup holds the exams")
        let erasedAgain = try ledger.reapply(to: stores.store(for:), erase: PersonalDataErasedHandler.erase)

        #expect(erasedAgain == ["C1"])
        let store = stores.store(for: "C1")
        for traveller in HealthFixtures.family.travellers {
            let record = try #require(try store.read { db in try HealthRepository.record(traveller.travellerID, in: db) })
            #expect(record.screenings.allSatisfy(\.exams.isEmpty) && record.status == "erased", "\(traveller.travellerID)")
        }
        #expect(try leftovers(of: store).isEmpty)
        #expect(try ledger.reapply(to: stores.store(for:), erase: PersonalDataErasedHandler.erase).isEmpty, "once erased again, left alone")
        try stores.close()
    }
}
