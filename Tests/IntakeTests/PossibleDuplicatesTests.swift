import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore
@testable import Intake
import IntakeAPI
import TestSupport
import Testing

/// Possible duplicates on real partition stores with a real key: the same person in another
/// open case is found whichever store holds it, with the names either way round, and an
/// ended or erased case, another date of birth or the case itself never is.
@Suite("Possible duplicates across partition stores")
struct PossibleDuplicatesTests {
    let directory: URL
    let stores: PartitionStores
    let workflow = IntakeFixtures.workflow()

    static let firstKey = (id: "k1", material: Data(repeating: 1, count: 32))
    static let secondKey = (id: "k2", material: Data(repeating: 2, count: 32))

    init() throws {
        directory = try makeWorkDirectory("intake-duplicates")
        stores = try Self.open(directory, keys: [Self.firstKey], active: "k1")
    }

    static func open(_ directory: URL, keys: [(id: String, material: Data)], active: String) throws -> PartitionStores {
        let service = try IntakeService(workflow: IntakeFixtures.workflow())
        return try PartitionStores(directory: directory.path, partitionCount: 4, cipher: try FieldCipher(keys: keys, active: active, service: "intake"),
                                   legacyStore: nil, partitionedTables: service.partitionedTables, migrations: service.migrate)
    }

    /// Registers as the API does: the case in the store of its partition, `minutes` after
    /// the fixtures' now.
    @discardableResult
    func register(_ referral: ReferralRequest, minutes: Double = 0, in stores: PartitionStores? = nil, notIn partition: Int32? = nil) throws -> CaseID {
        let stores = stores ?? self.stores
        let workflow = IntakeFixtures.workflow(now: IntakeFixtures.now.addingTimeInterval(minutes * 60))
        var caseID = IntakeWorkflow.newCaseID(idempotencyKey: nil)
        while stores.partition(of: caseID) == partition { caseID = IntakeWorkflow.newCaseID(idempotencyKey: nil) }
        return try stores.store(for: caseID).write { db in try workflow.register(referral, caseID: caseID, idempotencyKey: nil, in: db) }
    }

    func duplicates(of caseID: CaseID, in stores: PartitionStores? = nil) async throws -> [CaseID]? {
        try await DuplicateCheck.openCases(sharingPeopleWith: caseID, in: stores ?? self.stores)
    }

    /// The fixture's family with the principal renamed and born on `born`.
    static func referral(given: String = "Maria", family: String = "Lopez", born: String = "1985-04-12") -> ReferralRequest {
        var referral = IntakeFixtures.referral()
        referral.principal.givenName = given
        referral.principal.familyName = family
        referral.principal.dateOfBirth = LocalDate(born)!
        referral.dependants = []
        return referral
    }

    @Test func theSamePersonInAnotherStoreIsFoundWithNamesSwappedAccentsAndCaseFolded() async throws {
        let first = try register(Self.referral())
        let swapped = try register(Self.referral(given: " LÓPEZ ", family: "maría"), minutes: 1, notIn: stores.partition(of: first))
        #expect(stores.partition(of: first) != stores.partition(of: swapped), "across partition stores")
        #expect(try await duplicates(of: swapped) == [first])
        #expect(try await duplicates(of: first) == [swapped], "either way")
        let third = try register(Self.referral(given: "MARIA", family: "López"), minutes: 2)
        #expect(try await duplicates(of: third) == [first, swapped], "oldest registration first")
    }

    @Test func anyTravellerOfAFamilyMatchesAnyTravellerOfAnother() async throws {
        let family = try register(IntakeFixtures.referral())   // Maria and her son Mateo Lopez, born 2011-06-01
        var other = Self.referral(given: "Ana", family: "Ruiz", born: "1979-01-30")
        other.dependants = [TravellerInput(givenName: "Mateo", familyName: "Lopez", dateOfBirth: LocalDate("2011-06-01")!, sex: .male,
                                           nationality: "CO", relationship: .child, languages: nil, travelDocumentStatus: .valid)]
        let theSon = try register(other)
        #expect(try await duplicates(of: theSon) == [family])
        #expect(try await duplicates(of: family) == [theSon])
    }

    @Test func anotherDateOfBirthOrOneNameInCommonIsNoMatch() async throws {
        let first = try register(Self.referral())
        #expect(try await duplicates(of: first) == [], "a case is not its own duplicate")
        let otherBirth = try register(Self.referral(born: "1985-04-13"))
        let otherFamily = try register(Self.referral(family: "Lopes"))
        let otherGiven = try register(Self.referral(given: "Mario"))
        let onlyOneSwapped = try register(Self.referral(given: "Lopez", family: "Lopez"))
        for caseID in [otherBirth, otherFamily, otherGiven, onlyOneSwapped] {
            #expect(try await duplicates(of: caseID) == [], "\(caseID)")
        }
        #expect(try await duplicates(of: first) == [])
    }

    @Test func endedAndErasedCasesAreNeverPossibleDuplicates() async throws {
        let withdrawn = try register(Self.referral())
        try await stores.store(for: withdrawn).write { db in try workflow.withdraw(withdrawn, WithdrawalInput(recordedBy: "cw"), in: db) }
        let closed = try register(Self.referral())
        try await stores.store(for: closed).write { db in try CaseRepository.close(closed, now: IntakeFixtures.now, in: db) }
        var abandoned = Self.referral()
        abandoned.immigration.claimWithdrawnOrAbandoned = true
        let notEligible = try register(abandoned)
        let erased = try register(Self.referral())
        try await stores.store(for: erased).write { db in
            try workflow.revoke(erased, RevocationInput(recordedBy: "cw", authority: "CBSA"), in: db)
            try workflow.erase(erased, ErasureInput(recordedBy: "sv"), in: db)
        }
        #expect(try await stores.store(for: notEligible).read { db in try CaseRepository.state(notEligible, in: db)?.status } == .notEligible)

        let open = try register(Self.referral(given: "Lopez", family: "Maria"))
        #expect(try await duplicates(of: open) == [])
        // An ended case still learns of the open one; an erased one has no one left to compare.
        #expect(try await duplicates(of: withdrawn) == [open])
        #expect(try await duplicates(of: erased) == [])
        #expect(try await duplicates(of: CaseID("HW-nobody")) == nil)
    }

    @Test func aReferralIsHashedAsItsStoredTravellers() throws {
        let referral = IntakeFixtures.referral()
        let caseID = try register(referral)
        let store = stores.store(for: caseID)
        let stored = try store.read { db in try CaseRepository.personHashes(of: caseID, in: db) }
        let asked = try store.read { db in try CaseRepository.personHashes(of: [referral.principal] + (referral.dependants ?? []), in: db) }
        #expect(stored == asked)
        #expect(asked.count == 2)
        // Hashes only: nothing of the names or dates of birth crosses stores.
        let text = String(decoding: try JSONEncoder().encode(asked), as: UTF8.self)
        for personal in ["Maria", "maria", "Lopez", "lopez", "Mateo", "1985-04-12"] { #expect(!text.contains(personal)) }
    }

    @Test func aPersonHashedBeforeAKeyRotationIsStillFound() async throws {
        let before = try register(Self.referral())
        let rotated = try Self.open(directory, keys: [Self.secondKey, Self.firstKey], active: "k2")
        let after = try register(Self.referral(given: "Lopez", family: "Maria"), in: rotated)
        #expect(try await duplicates(of: after, in: rotated) == [before])
        #expect(try await duplicates(of: before, in: rotated) == [after])
    }

    /// A deployed store, sealed and hashed before each service derived its own keys (v1), with
    /// the same master key: its cases are found by name and as possible duplicates before,
    /// while and after the rotation sweep re-seals it under intake's own derivation.
    @Test func aStoreSealedBeforeIntakeDerivedItsOwnKeysIsFoundAndMigrated() async throws {
        let first = try register(Self.referral())
        let second = try register(Self.referral(given: " LÓPEZ ", family: "maría"), minutes: 1, notIn: stores.partition(of: first))
        let v1 = LegacySealing(keyID: Self.firstKey.id, material: Self.firstKey.material)
        let columns = IntakeSchema.sealedColumns.filter { !$0.isBlob }
        for store in stores.partitions {
            try await store.write { db in
                v1.register(in: db)
                for column in columns {
                    let hash = column.searchHash.map { ", \($0) = v1_search(hw_open(\(column.column), '\(column.label)'))" } ?? ""
                    try db.execute(sql: """
                        UPDATE \(column.table) SET \(column.column) = v1_seal(hw_open(\(column.column), '\(column.label)'), '\(column.label)')\(hash)
                        """)
                }
            }
        }
        func familyNames() async throws -> [String] {
            var all: [String] = []
            for store in stores.partitions { all += try await store.read { db in try String.fetchAll(db, sql: "SELECT family_name FROM intake_traveller") } }
            return all
        }
        /// As `GET /cases?familyName=…&dateOfBirth=…` asks each partition store.
        func found(family: String, born: String) async throws -> Set<String> {
            var cases: Set<String> = []
            for store in stores.partitions {
                cases.formUnion(try await store.read { db in
                    try String.fetchAll(db, sql: """
                        SELECT case_id FROM intake_traveller t WHERE t.family_name_hash IN (SELECT value FROM json_each(hw_search_all(?)))
                          AND t.date_of_birth_hash IN (SELECT value FROM json_each(hw_search_all(?)))
                        """, arguments: [family, born])
                })
            }
            return cases
        }
        func check(_ moment: String) async throws {
            #expect(try await found(family: "LOPEZ", born: "1985-04-12") == [first.rawValue], "\(moment)")
            #expect(try await found(family: "Maria", born: "1985-04-12") == [second.rawValue], "\(moment)")
            #expect(try await duplicates(of: second) == [first], "\(moment)")
            let name = try await stores.store(for: first).read { db in
                try String.fetchOne(db, sql: "SELECT hw_open(given_name, 'intake_traveller.given_name') FROM intake_traveller WHERE case_id = ?",
                                    arguments: [first.rawValue])
            }
            #expect(name == "Maria", "\(moment)")
        }
        #expect(try await familyNames().allSatisfy { $0.hasPrefix("v1.k1.") })
        try await check("a v1 store")

        // The sweep, a batch of one at a time: after each, every case still opens and is found.
        var resealed = 0
        for store in stores.partitions {
            for column in columns {
                while try await store.write({ db in try KeyRotation.resealBatch(column, activeKeyID: "k1", limit: 1, in: db) }) > 0 {
                    resealed += 1
                    if column.searchHash != nil { try await check("after \(resealed) re-sealed") }
                }
            }
        }
        #expect(resealed > 0)
        #expect(try await familyNames().allSatisfy { $0.hasPrefix("v2.k1.") })
        try await check("migrated")
        // Intake's hashes now: none a health-screening cipher with the same master key would compute.
        let health = try FieldCipher(keys: [Self.firstKey], active: "k1", service: "health-screening")
        let stored = try await stores.store(for: first).read { db in
            try String.fetchAll(db, sql: "SELECT family_name_hash FROM intake_traveller WHERE case_id = ?", arguments: [first.rawValue])
        }
        #expect(!stored.contains(health.searchHash("Lopez")) && !stored.contains(v1.searchHash("Lopez")))
    }
}
