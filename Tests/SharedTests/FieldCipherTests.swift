import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore
import Logging
import StageProbeKit
import TestSupport
import Testing

@Suite("Field cipher: sealed columns, keyed hashes, key rotation")
struct FieldCipherTests {
    static let k1 = Data(repeating: 1, count: 32)
    static let k2 = Data(repeating: 2, count: 32)
    static let old = try! FieldCipher(keys: [("k1", k1)], active: "k1", service: "intake")
    static let rotated = try! FieldCipher(keys: [("k2", k2), ("k1", k1)], active: "k2", service: "intake")
    static let new = try! FieldCipher(keys: [("k2", k2)], active: "k2", service: "intake")

    @Test func sealedValuesRoundTripAndNameTheirKey() throws {
        for text in ["Lucía Restrepo", "1985-04-12", "", "{\"chest-x-ray\":\"no active TB\"}", String(repeating: "é", count: 5_000)] {
            let sealed = try Self.old.seal(text, column: "t.c")
            #expect(sealed.hasPrefix("v2.k1."))
            #expect(!sealed.contains(text) || text.isEmpty)
            #expect(FieldCipher.isSealed(sealed) && FieldCipher.keyID(of: sealed) == "k1")
            #expect(try Self.old.open(sealed, column: "t.c") == text)
        }
        // A fresh nonce each time: equal values do not look equal.
        #expect(try Self.old.seal("Lucía", column: "t.c") != (try Self.old.seal("Lucía", column: "t.c")))
        let bytes = Data([0, 1, 2, 255])
        #expect(try Self.old.openData(try Self.old.seal(bytes, column: "outbox.value"), column: "outbox.value") == bytes)
    }

    @Test func aTamperedOrMovedValueDoesNotOpen() throws {
        let sealed = try Self.old.seal("Lucía Restrepo", column: "intake_traveller.given_name")
        // One byte of the ciphertext changed.
        var payload = Data(base64Encoded: String(sealed.dropFirst("v2.k1.".count)))!
        payload[payload.count / 2] ^= 0x01
        let tampered = "v2.k1." + payload.base64EncodedString()
        #expect(throws: FieldCipherError.notAuthentic(keyID: "k1", column: "intake_traveller.given_name")) {
            try Self.old.open(tampered, column: "intake_traveller.given_name")
        }
        // The same ciphertext moved to another column.
        #expect(throws: FieldCipherError.notAuthentic(keyID: "k1", column: "intake_traveller.family_name")) {
            try Self.old.open(sealed, column: "intake_traveller.family_name")
        }
        // Relabelled with another key id the set holds.
        let relabelled = "v2.k2." + sealed.dropFirst("v2.k1.".count)
        #expect(throws: FieldCipherError.notAuthentic(keyID: "k2", column: "intake_traveller.given_name")) {
            try Self.rotated.open(relabelled, column: "intake_traveller.given_name")
        }
        #expect(throws: FieldCipherError.malformed(column: "t.c")) { try Self.old.open("v2.k1.", column: "t.c") }
    }

    @Test func aValueUnderAKeyNoLongerConfiguredIsRefusedByName() throws {
        let sealed = try Self.old.seal("Restrepo", column: "intake_traveller.family_name")
        do {
            _ = try Self.new.open(sealed, column: "intake_traveller.family_name")
            Issue.record("opened under a key set without k1")
        } catch let error as FieldCipherError {
            #expect(error == .unknownKeyID("k1", column: "intake_traveller.family_name"))
            #expect("\(error)".contains("key id 'k1'") && "\(error)".contains("intake_traveller.family_name") && !"\(error)".contains("Restrepo"))
        }
        // The rotated set opens old values and seals new ones under the new key.
        #expect(try Self.rotated.open(sealed, column: "intake_traveller.family_name") == "Restrepo")
        #expect(try Self.rotated.seal("Restrepo", column: "x.y").hasPrefix("v2.k2."))
    }

    @Test func keySetsAreParsedAndCheckedAsStoreKeysGivesThem() throws {
        let text = "new:\(Self.k2.base64EncodedString()), old:\(Self.k1.base64EncodedString())"
        let cipher = try FieldCipher(parsing: text, active: nil, service: "intake")
        #expect(cipher.activeKeyID == "new" && cipher.keyIDs == ["new", "old"])
        #expect(try FieldCipher(parsing: text, active: "old", service: "intake").activeKeyID == "old")
        let short = Data(count: 16).base64EncodedString(), one = Self.k1.base64EncodedString(), two = Self.k2.base64EncodedString()
        let cases: [(String, String)] = [
            ("k1", "kid:base64key"), ("k1:not base64!", "not base64"), ("k1:" + short, "16 bytes"), ("k 1:" + one, "is not 1 to 32"),
            ("a:" + one + ",a:" + two, "twice"),
        ]
        for (bad, message) in cases {
            #expect(throws: FieldCipherError.self, "\(bad)") { try FieldCipher(parsing: bad, active: nil, service: "intake") }
            do { _ = try FieldCipher(parsing: bad, active: nil, service: "intake") } catch { #expect("\(error)".contains(message), "\(error)") }
        }
        #expect(throws: FieldCipherError.self) { try FieldCipher(parsing: text, active: "gone", service: "intake") }
        let generated = try FieldCipher(parsing: FieldCipher.generateKeyText(id: "dev-1"), active: nil, service: "intake")
        #expect(generated.activeKeyID == "dev-1")
    }

    @Test func searchHashesIgnoreCaseAccentsAndSpacingAndSurviveARotation() throws {
        #expect(FieldCipher.normalisedForSearch("  José \t LUIS ") == "jose luis")
        #expect(Self.old.searchHash("García") == Self.old.searchHash("garcia"))
        #expect(Self.old.searchHash("García") != Self.old.searchHash("Garcías"))
        #expect(Self.old.searchHash("García") != Self.new.searchHash("García"), "each key has its own search key")
        #expect(Array(Self.rotated.searchHashes("García").prefix(2)) == [Self.new.searchHash("García"), Self.old.searchHash("García")])
        #expect(Self.rotated.searchHashes("García").count == 4, "then the same under the v1 derivation")
        #expect(Self.old.searchHash("García").count == 64)
    }

    // MARK: In a store

    func makePath() throws -> String {
        try makeWorkDirectory("cipher").appendingPathComponent("s.sqlite").path
    }

    static func migrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("people") { db in
            try db.execute(sql: "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT, name_hash TEXT, note TEXT)")
        }
    }

    static let columns = [SealedColumn("people", "name", searchHash: "name_hash"), SealedColumn("people", "note")]

    @Test func theRotationSweepReSealsEveryValueAndItsHashUnderTheNewKey() async throws {
        let path = try makePath()
        do {
            let store = try Store(path: path, cipher: Self.old, migrations: Self.migrations)
            try await store.write { db in
                for i in 0..<450 {
                    try db.execute(sql: "INSERT INTO people (name, name_hash, note) VALUES (hw_seal(?, 'people.name'), hw_search(?), hw_seal(?, 'people.note'))",
                                   arguments: ["Persona \(i)", "Persona \(i)", i % 3 == 0 ? nil : "note \(i)"])
                }
                // A row written before sealing: plain text, no hash.
                try db.execute(sql: "INSERT INTO people (name, note) VALUES ('Legacy Person', 'legacy note')")
                // A dead letter's bytes, which may hold anything, are sealed; the service's own events are not.
                try Outbox.insert(eventID: "dl-1", topic: "homeward.probe.dead-letter", partition: 0, key: "c",
                                  value: Data(#"{"requestID":"Persona 2"}"#.utf8), headers: [], in: db)
                try Outbox.append(CloudEvent(caseID: "c", data: ProbeApplied(requestID: "r", seq: 1)), in: db)
            }
            let raw = try Data(contentsOf: URL(fileURLWithPath: path)) + ((try? Data(contentsOf: URL(fileURLWithPath: path + "-wal"))) ?? Data())
            #expect(raw.range(of: Data("Persona 1".utf8)) == nil && raw.range(of: Data("Persona 2".utf8)) == nil, "names and dead letters are sealed")
        }

        // Restarted with the new key active and the old one kept.
        let store = try Store(path: path, cipher: Self.rotated, migrations: Self.migrations)
        let all = Self.columns + KeyRotation.runtimeColumns
        let pending = try await store.read { db in try KeyRotation.pending(all, activeKeyID: "k2", in: db) }
        #expect(pending == 753, "450 names, 300 notes, the legacy name and note, one outbox row")
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let sweep = KeyRotationSweep(targets: [(store, all)], batchSize: 100, pause: .zero, logger: logger)
        #expect(try await sweep.sweep(active: "k2") == 753)
        #expect(try await sweep.sweep(active: "k2") == 0)

        // Only the new key now: every value opens, the hashes are the new key's.
        let reopened = try Store(path: path, cipher: Self.new, migrations: Self.migrations)
        try await reopened.read { db in
            let names = try String.fetchAll(db, sql: "SELECT hw_open(name, 'people.name') FROM people ORDER BY id")
            #expect(names.count == 451)
            #expect(names.first == "Persona 0")
            #expect(names.last == "Legacy Person")
            #expect(try String.fetchOne(db, sql: "SELECT hw_open(note, 'people.note') FROM people WHERE id = 451") == "legacy note")
            #expect(try String.fetchOne(db, sql: "SELECT name FROM people WHERE name_hash = ?", arguments: [Self.new.searchHash("persona 7")]) != nil)
            #expect(try String.fetchAll(db, sql: "SELECT name FROM people").allSatisfy { $0.hasPrefix("v2.k2.") })
            let outbox = try Outbox.unpublished(limit: 10, in: db).map { String(decoding: $0.value, as: UTF8.self) }
            #expect(outbox.count == 2)
            #expect(outbox.first == #"{"requestID":"Persona 2"}"#, "the dead letter opens under the new key")
            #expect(outbox.last?.contains("\"requestID\":\"r\"") == true)
        }
    }

    // MARK: Each service its own derivation

    @Test func aMasterKeyCopiedToAnotherServiceOpensNothingOfItsStoreNorMatchesItsHashes() async throws {
        let health = try FieldCipher(keys: [("k1", Self.k1)], active: "k1", service: "health-screening")
        let sealed = try health.seal("chest x-ray: no active TB", column: "people.note")
        #expect(sealed.hasPrefix("v2.k1.") && FieldCipher.format(of: sealed) == "v2")
        #expect(try health.open(sealed, column: "people.note") == "chest x-ray: no active TB")
        // Intake's cipher, under the same master key and key id.
        #expect(throws: FieldCipherError.notAuthentic(keyID: "k1", column: "people.note")) { try Self.old.open(sealed, column: "people.note") }
        #expect(!Self.old.searchHashes("García").contains(health.searchHash("García")), "a hash does not link a person across services")
        #expect(!Self.old.digests(Data("body".utf8)).contains(health.digest(Data("body".utf8))))
        #expect(throws: FieldCipherError.self) { try FieldCipher(keys: [("k1", Self.k1)], active: "k1", service: "") }

        // A health store copied next to intake's configuration: nothing opens.
        let path = try makePath()
        do {
            let store = try Store(path: path, cipher: health, migrations: Self.migrations)
            try await store.write { db in
                try db.execute(sql: "INSERT INTO people (name, name_hash) VALUES (hw_seal('Lucía', 'people.name'), hw_search('Lucía'))")
            }
        }
        let copied = try Store(path: path, cipher: Self.old, migrations: Self.migrations)
        await #expect(throws: (any Error).self) { try await copied.read { db in try String.fetchOne(db, sql: "SELECT hw_open(name, 'people.name') FROM people") } }
        #expect(try await copied.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM people WHERE name_hash IN (SELECT value FROM json_each(hw_search_all('Lucía')))")
        } == 0)
    }

    @Test func aV1StoreOpensAndTheSweepMigratesItWithItsHashesReadableAndFoundThroughout() async throws {
        let path = try makePath()
        let v1 = LegacySealing(keyID: "k1", material: Self.k1)
        do {
            let store = try Store(path: path, cipher: Self.old, migrations: Self.migrations)
            try await store.write { db in
                v1.register(in: db)
                for i in 0..<250 {
                    try db.execute(sql: "INSERT INTO people (name, name_hash, note) VALUES (v1_seal(?, 'people.name'), v1_search(?), v1_seal(?, 'people.note'))",
                                   arguments: ["Persona \(i)", "Persona \(i)", "note \(i)"])
                }
            }
        }
        // The same master key and key id as the deployment had, now read by this version.
        let store = try Store(path: path, cipher: Self.old, migrations: Self.migrations)
        func found(_ name: String) async throws -> [String] {
            try await store.read { db in
                try String.fetchAll(db, sql: """
                    SELECT hw_open(name, 'people.name') FROM people WHERE name_hash IN (SELECT value FROM json_each(hw_search_all(?)))
                    """, arguments: [name])
            }
        }
        func names() async throws -> [String] {
            try await store.read { db in try String.fetchAll(db, sql: "SELECT hw_open(name, 'people.name') FROM people ORDER BY id") }
        }
        let stored = try await store.read { db in try String.fetchAll(db, sql: "SELECT name FROM people") }
        #expect(stored.count == 250 && stored.allSatisfy { $0.hasPrefix("v1.k1.") && FieldCipher.format(of: $0) == "v1" })
        #expect(try await names() == (0..<250).map { "Persona \($0)" }, "v1 values open")
        #expect(try await found("PERSONA  7") == ["Persona 7"], "v1 hashes match")
        #expect(try await store.read { db in try KeyRotation.pending(Self.columns, activeKeyID: "k1", in: db) } == 500,
                "under the active key id, v1 values are still to be re-sealed")

        // Half-way: one batch re-sealed, the rest still v1; every value opens and is found.
        #expect(try await store.write { db in try KeyRotation.resealBatch(Self.columns[0], activeKeyID: "k1", limit: 100, in: db) } == 100)
        #expect(try await names() == (0..<250).map { "Persona \($0)" })
        #expect(try await found("persona 7") == ["Persona 7"], "re-sealed")
        #expect(try await found("persona 200") == ["Persona 200"], "not yet")

        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let sweep = KeyRotationSweep(targets: [(store, Self.columns)], batchSize: 100, pause: .zero, logger: logger)
        #expect(try await sweep.sweep(active: "k1") == 400)
        #expect(try await sweep.sweep(active: "k1") == 0)
        let (sealed, hash, v1Hashes) = try await store.read { db in
            (try String.fetchAll(db, sql: "SELECT name FROM people UNION ALL SELECT note FROM people"),
             try String.fetchOne(db, sql: "SELECT name_hash FROM people WHERE id = 201"),
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM people WHERE name_hash = ?", arguments: [v1.searchHash("Persona 200")]))
        }
        #expect(sealed.count == 500 && sealed.allSatisfy { $0.hasPrefix("v2.k1.") })
        #expect(hash == Self.old.searchHash("Persona 200"))
        #expect(v1Hashes == 0, "no v1 hash left")
        #expect(try await names() == (0..<250).map { "Persona \($0)" })
        #expect(try await found("persona 200") == ["Persona 200"], "found by its v2 hash")
        // Migrated, the store opens under no other service's derivation of the same key.
        let asHealth = try Store(path: path, cipher: try FieldCipher(keys: [("k1", Self.k1)], active: "k1", service: "health-screening"),
                                 migrations: Self.migrations)
        await #expect(throws: (any Error).self) { try await asHealth.read { db in try String.fetchOne(db, sql: "SELECT hw_open(name, 'people.name') FROM people") } }
    }

    @Test func aStoreWithoutACipherSealsNothing() throws {
        let store = try Store(path: try makePath(), migrations: Self.migrations)
        try store.write { db in
            try db.execute(sql: "INSERT INTO people (name) VALUES (hw_seal('plain', 'people.name'))")
            #expect(try String.fetchOne(db, sql: "SELECT name FROM people") == "plain")
        }
    }

    // MARK: Configuration

    @Test func productionRefusesToStartWithoutStoreKeysAndDevelopmentGeneratesOneKeyFile() async throws {
        let directory = try makeWorkDirectory("store-keys")
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        // Production verifies tokens with a JWKS document; this one's keys do not matter here.
        let jwks = directory.appendingPathComponent("jwks.json")
        try Data(#"{"keys":[]}"#.utf8).write(to: jwks)
        let production = try await ServiceConfiguration.load(for: .intake, environment: [
            "HOMEWARD_ENVIRONMENT": "production", "DATA_DIRECTORY": directory.path, "AUTH_JWKS_FILE": jwks.path])
        #expect(throws: ConfigurationError.self) { try StoreKeys.cipher(for: production, logger: logger) }
        do { _ = try StoreKeys.cipher(for: production, logger: logger) } catch { #expect("\(error)".contains("STORE_KEYS")) }
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("intake.store-key").path))

        let development = try await ServiceConfiguration.load(for: .intake, environment: TestAccess.environment.merging(["DATA_DIRECTORY": directory.path]) { $1 })
        let first = try StoreKeys.cipher(for: development, logger: logger)
        let file = directory.appendingPathComponent("intake.store-key").path
        let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let again = try StoreKeys.cipher(for: development, logger: logger)
        #expect(first.activeKeyID == again.activeKeyID && first.activeKeyID.hasPrefix("dev-"))
        #expect(first.searchHash("x") == again.searchHash("x"), "the same key, read back")

        let configured = try await ServiceConfiguration.load(for: .intake, environment: [
            "HOMEWARD_ENVIRONMENT": "production", "AUTH_JWKS_FILE": jwks.path,
            "STORE_KEYS": "b:\(Self.k2.base64EncodedString()),a:\(Self.k1.base64EncodedString())", "STORE_KEY_ACTIVE": "a"])
        #expect(try StoreKeys.cipher(for: configured, logger: logger).keyIDs == ["a", "b"])
        let wrongActive = try await ServiceConfiguration.load(for: .intake, environment: TestAccess.environment.merging([
            "STORE_KEYS": "b:\(Self.k2.base64EncodedString())", "STORE_KEY_ACTIVE": "a"]) { $1 })
        do { _ = try StoreKeys.cipher(for: wrongActive, logger: logger); Issue.record("an absent active key was accepted") } catch {
            #expect("\(error)".contains("STORE_KEY_ACTIVE"), "\(error)")
        }
        await #expect(throws: ConfigurationError.self) { try await ServiceConfiguration.load(for: .intake, environment: ["STORE_KEY_ACTIVE": "a"]) }
    }
}
