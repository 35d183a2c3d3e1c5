public import Foundation
public import GRDB
public import HomewardModel

/// The latest consent per case and purpose as intake's `consent-changed` told a
/// downstream service, and the latest exception to it (`exception-changed`), in the case's partition store (so it moves, is captured in the
/// changelog and is restored with the case). Health screening, travel booking and
/// reintegration keep it to refuse what a withdrawn consent covers (``SharingGate``).
///
/// Kept whether or not the service knows the case yet: a service reads several topics and
/// nothing orders one against another, so a consent may come before the events that make
/// the case known here. Holds no personal value (a purpose, granted or not, an
/// exception's legal basis, and when), so nothing is sealed and an erasure leaves it.
public enum ConsentStore {
    /// Every table, each naming its case.
    public static let tables = ["case_consent", "case_exception"]

    /// The table, after the service's own migrations (the name is shared by every service that keeps consents).
    public static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("consent-v1") { db in
            try db.execute(sql: """
                CREATE TABLE case_consent (
                    case_id TEXT NOT NULL,
                    purpose TEXT NOT NULL,
                    granted INTEGER NOT NULL,
                    changed_at REAL NOT NULL,
                    PRIMARY KEY (case_id, purpose)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("consent-v2-exceptions") { db in
            try db.execute(sql: """
                CREATE TABLE case_exception (
                    case_id TEXT NOT NULL,
                    purpose TEXT NOT NULL,
                    legal_basis TEXT NOT NULL,
                    in_force INTEGER NOT NULL,
                    valid_until REAL,
                    changed_at REAL NOT NULL,
                    PRIMARY KEY (case_id, purpose)
                ) WITHOUT ROWID;
                """)
        }
    }

    /// Records a consent given or withdrawn at `at`, unless a later one is already kept.
    public static func record(_ purpose: ConsentPurpose, granted: Bool, of caseID: CaseID, at: Date, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO case_consent (case_id, purpose, granted, changed_at) VALUES (?, ?, ?, ?)
            ON CONFLICT(case_id, purpose) DO UPDATE SET granted = excluded.granted, changed_at = excluded.changed_at
            WHERE excluded.changed_at >= case_consent.changed_at
            """).execute(arguments: [caseID.rawValue, purpose.rawValue, granted, at.timeIntervalSince1970])
    }

    /// The latest consent for `purpose`: nil when intake has said nothing of it.
    public static func granted(_ purpose: ConsentPurpose, of caseID: CaseID, in db: Database) throws -> Bool? {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT granted FROM case_consent WHERE case_id = ? AND purpose = ?"),
                          arguments: [caseID.rawValue, purpose.rawValue])
    }

    /// Whether the latest consent for `purpose` is a withdrawal (or a refusal).
    public static func isWithdrawn(_ purpose: ConsentPurpose, of caseID: CaseID, in db: Database) throws -> Bool {
        try granted(purpose, of: caseID, in: db) == false
    }

    /// Records an exception recorded or withdrawn at `at`, unless a later change is already kept.
    public static func record(_ changed: ExceptionChanged, of caseID: CaseID, at: Date, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO case_exception (case_id, purpose, legal_basis, in_force, valid_until, changed_at) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT(case_id, purpose) DO UPDATE SET legal_basis = excluded.legal_basis, in_force = excluded.in_force,
                valid_until = excluded.valid_until, changed_at = excluded.changed_at
            WHERE excluded.changed_at >= case_exception.changed_at
            """).execute(arguments: [caseID.rawValue, changed.purpose.rawValue, changed.legalBasis.rawValue, changed.inForce,
                                     changed.validUntil?.timeIntervalSince1970, at.timeIntervalSince1970])
    }

    /// The legal basis of the exception for `purpose` in force at `now`: nil when none was
    /// recorded, it was withdrawn or it has expired.
    public static func exception(_ purpose: ConsentPurpose, of caseID: CaseID, at now: Date, in db: Database) throws -> ExceptionBasis? {
        try String.fetchOne(db.cachedStatement(sql: """
            SELECT legal_basis FROM case_exception WHERE case_id = ? AND purpose = ? AND in_force AND (valid_until IS NULL OR valid_until > ?)
            """), arguments: [caseID.rawValue, purpose.rawValue, now.timeIntervalSince1970]).flatMap(ExceptionBasis.init(rawValue:))
    }
}
