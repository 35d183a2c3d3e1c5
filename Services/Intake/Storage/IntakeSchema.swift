import Foundation
import GRDB
import HomewardRuntime
import HomewardModel
import HomewardStore

/// Intake's tables. Personal data (names, dates of birth) lives in `intake_traveller`
/// only; events carry traveller ids.
///
/// Sealed at rest (``sealedColumns``): each traveller's names, date of birth, nationality
/// and languages, with keyed hashes of the names and the date of birth for exact-match
/// search and possible duplicates; the case's current city, immigration facts (dates of decisions), vulnerabilities
/// and the eligibility decision (its reasons quote those facts); counsellors' notes. In clear, for reports and
/// work lists: sex, family role, document status, the programme's area code, country and
/// city of return, status, stage, the dates of steps, and the age at each activity.
enum IntakeSchema: ServiceSchema {
    static let sealedColumns: [SealedColumn] = [
        SealedColumn("intake_traveller", "given_name", searchHash: "given_name_hash"),
        SealedColumn("intake_traveller", "family_name", searchHash: "family_name_hash"),
        SealedColumn("intake_traveller", "date_of_birth", searchHash: "date_of_birth_hash"),
        SealedColumn("intake_traveller", "nationality"),
        SealedColumn("intake_traveller", "languages"),
        SealedColumn("intake_case", "current_city"),
        SealedColumn("intake_case", "immigration"),
        SealedColumn("intake_case", "vulnerabilities"),
        SealedColumn("intake_case", "decision"),
        SealedColumn("intake_counselling", "notes"),
        SealedColumn("intake_exception", "reason"),
    ] + DocumentStore.sealedColumns

    /// Every table names its case.
    static let partitionedTables: [PartitionedTable] = ["intake_traveller", "intake_consent", "intake_timeline", "intake_activity", "intake_idempotency",
                                    "intake_booking", "intake_counselling", "intake_orientation", "intake_exception", "intake_case"].map { PartitionedTable($0) }
        + CaseDocuments.partitionedTables

    static func register(in migrator: inout DatabaseMigrator) {
        // The case's documents (``DocumentStore``), as every service keeps them.
        DocumentStore.register(in: &migrator)
        migrator.registerMigration("intake-v1") { db in
            try db.execute(sql: """
                CREATE TABLE intake_case (
                    case_id TEXT PRIMARY KEY,
                    programme_id TEXT NOT NULL,
                    referring_authority TEXT NOT NULL,
                    referred_at REAL NOT NULL,
                    first_contact_at REAL NOT NULL,
                    registered_at REAL NOT NULL,
                    registered_by TEXT NOT NULL,
                    current_city TEXT NOT NULL,
                    current_area TEXT NOT NULL,
                    return_country TEXT NOT NULL,
                    return_city TEXT,
                    immigration TEXT NOT NULL,
                    vulnerabilities TEXT NOT NULL,
                    status TEXT NOT NULL,
                    stage TEXT NOT NULL,
                    eligible INTEGER,
                    decision TEXT,
                    target_departure_by REAL,
                    declared_at REAL,
                    declaration_recorded_by TEXT,
                    ready_for_screening_at REAL,
                    departed_at REAL,
                    updated_at REAL NOT NULL
                );
                CREATE INDEX intake_case_status ON intake_case(status, registered_at);
                CREATE INDEX intake_case_stage ON intake_case(stage, registered_at);
                CREATE INDEX intake_case_country ON intake_case(return_country, registered_at);
                CREATE INDEX intake_case_programme ON intake_case(programme_id, registered_at);
                CREATE INDEX intake_case_deadline ON intake_case(target_departure_by);
                CREATE INDEX intake_case_registered ON intake_case(registered_at);
                CREATE TABLE intake_traveller (
                    traveller_id TEXT PRIMARY KEY,
                    case_id TEXT NOT NULL REFERENCES intake_case(case_id),
                    position INTEGER NOT NULL,
                    family_role TEXT NOT NULL,
                    given_name TEXT NOT NULL,
                    family_name TEXT NOT NULL,
                    date_of_birth TEXT NOT NULL,
                    sex TEXT NOT NULL,
                    nationality TEXT NOT NULL,
                    languages TEXT NOT NULL,
                    travel_document_status TEXT NOT NULL
                );
                CREATE INDEX intake_traveller_case ON intake_traveller(case_id, position);
                CREATE TABLE intake_consent (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    case_id TEXT NOT NULL REFERENCES intake_case(case_id),
                    purpose TEXT NOT NULL,
                    granted INTEGER NOT NULL,
                    recorded_by TEXT NOT NULL,
                    recorded_at REAL NOT NULL
                );
                CREATE INDEX intake_consent_case ON intake_consent(case_id, purpose, id);
                CREATE TABLE intake_timeline (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    case_id TEXT NOT NULL,
                    at REAL NOT NULL,
                    actor TEXT NOT NULL,
                    step TEXT NOT NULL,
                    outcome TEXT NOT NULL,
                    event_id TEXT
                );
                CREATE INDEX intake_timeline_case ON intake_timeline(case_id, at, id);
                CREATE TABLE intake_activity (
                    case_id TEXT NOT NULL,
                    traveller_id TEXT NOT NULL,
                    sector TEXT NOT NULL,
                    at REAL NOT NULL,
                    PRIMARY KEY (traveller_id, sector, at)
                ) WITHOUT ROWID;
                CREATE TABLE intake_idempotency (
                    key TEXT PRIMARY KEY,
                    request_hash TEXT NOT NULL,
                    case_id TEXT NOT NULL,
                    created_at REAL NOT NULL
                );
                """)
        }
        // Sealing: keyed hashes to search by, the age at each activity (so the 5W report
        // needs no date of birth), when a case ended (retention) and its erasure. Rows
        // written before are sealed, and their hashes computed, by the key rotation sweep.
        migrator.registerMigration("intake-v2-sealed") { db in
            try db.execute(sql: """
                ALTER TABLE intake_traveller ADD COLUMN given_name_hash TEXT;
                ALTER TABLE intake_traveller ADD COLUMN family_name_hash TEXT;
                ALTER TABLE intake_traveller ADD COLUMN date_of_birth_hash TEXT;
                CREATE INDEX intake_traveller_given_name_hash ON intake_traveller(given_name_hash);
                CREATE INDEX intake_traveller_family_name_hash ON intake_traveller(family_name_hash);
                CREATE INDEX intake_traveller_date_of_birth_hash ON intake_traveller(date_of_birth_hash);
                ALTER TABLE intake_activity ADD COLUMN age_years INTEGER;
                ALTER TABLE intake_case ADD COLUMN ended_at REAL;
                ALTER TABLE intake_case ADD COLUMN erased_at REAL;
                ALTER TABLE intake_case ADD COLUMN erasure_reason TEXT;
                CREATE INDEX intake_case_ended ON intake_case(ended_at) WHERE erased_at IS NULL;
                UPDATE intake_case SET ended_at = updated_at WHERE status IN ('closed', 'withdrawn', 'revoked', 'not-eligible');
                UPDATE intake_idempotency SET request_hash = hw_digest(request_hash) WHERE request_hash LIKE '{%';
                """)
            let activities = try Row.fetchAll(db, sql: """
                SELECT a.traveller_id, a.sector, a.at, hw_open(t.date_of_birth, 'intake_traveller.date_of_birth')
                FROM intake_activity a JOIN intake_traveller t ON t.traveller_id = a.traveller_id
                """)
            for row in activities {
                guard let born = (row[3] as String?).flatMap({ LocalDate($0) }) else { continue }
                let at: Double = row[2]
                let age = born.age(on: LocalDate.containing(Date(timeIntervalSince1970: at), in: .gmt))
                try db.execute(sql: "UPDATE intake_activity SET age_years = ? WHERE traveller_id = ? AND sector = ? AND at = ?",
                               arguments: [age, row[0] as String, row[1] as String, at])
            }
        }
        // The case's bookings as travel's events name them, so that the case links to each;
        // bookings recorded before, from the timeline's steps (their outcome starts with the id).
        migrator.registerMigration("intake-v3-bookings") { db in
            try db.execute(sql: """
                CREATE TABLE intake_booking (
                    booking_id TEXT PRIMARY KEY,
                    case_id TEXT NOT NULL,
                    status TEXT NOT NULL,
                    updated_at REAL NOT NULL
                );
                CREATE INDEX intake_booking_case ON intake_booking(case_id);
                INSERT INTO intake_booking (booking_id, case_id, status, updated_at)
                SELECT substr(outcome, 1, instr(outcome, ':') - 1), case_id,
                       CASE step WHEN 'booking-proposed' THEN 'proposed' WHEN 'booked' THEN 'confirmed' WHEN 'booking-on-hold' THEN 'on-hold'
                                 WHEN 'booking-cancelled' THEN 'cancelled' ELSE 'departed' END, at
                FROM intake_timeline WHERE step IN ('booking-proposed', 'booked', 'booking-on-hold', 'booking-cancelled', 'departed')
                  AND instr(outcome, ':') > 1 ORDER BY at, id
                ON CONFLICT (booking_id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at;
                """)
        }
        // Late entry: the day a family that registers after returning came back, how, and
        // when the case was announced ready for reintegration (instead of for screening).
        migrator.registerMigration("intake-v4-late-entry") { db in
            try db.execute(sql: """
                ALTER TABLE intake_case ADD COLUMN late_entry_returned_on TEXT;
                ALTER TABLE intake_case ADD COLUMN late_entry_reason TEXT;
                ALTER TABLE intake_case ADD COLUMN ready_for_reintegration_at REAL;
                """)
        }
        // Counselling sessions before the declaration (notes sealed), and each traveller's
        // pre-departure orientations.
        migrator.registerMigration("intake-v5-counselling") { db in
            try db.execute(sql: """
                CREATE TABLE intake_counselling (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    case_id TEXT NOT NULL,
                    held_at REAL NOT NULL,
                    mode TEXT NOT NULL,
                    language TEXT NOT NULL,
                    interpreter INTEGER NOT NULL,
                    topics TEXT NOT NULL,
                    outcome TEXT NOT NULL,
                    notes TEXT,
                    counsellor TEXT NOT NULL,
                    recorded_at REAL NOT NULL
                );
                CREATE INDEX intake_counselling_case ON intake_counselling(case_id, held_at, id);
                CREATE TABLE intake_orientation (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    case_id TEXT NOT NULL,
                    traveller_id TEXT NOT NULL,
                    held_at REAL NOT NULL,
                    language TEXT NOT NULL,
                    interpreter INTEGER NOT NULL,
                    topics TEXT NOT NULL,
                    recorded_by TEXT NOT NULL,
                    recorded_at REAL NOT NULL
                );
                CREATE INDEX intake_orientation_traveller ON intake_orientation(traveller_id, held_at, id);
                CREATE INDEX intake_orientation_case ON intake_orientation(case_id);
                """)
        }
        // Supervisors' exceptions to consent (IOM principle 13), each kept; the latest per
        // purpose is the one in force until withdrawn or expired. The reason is sealed.
        migrator.registerMigration("intake-v6-exceptions") { db in
            try db.execute(sql: """
                CREATE TABLE intake_exception (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    case_id TEXT NOT NULL,
                    purpose TEXT NOT NULL,
                    legal_basis TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    valid_until REAL,
                    recorded_by TEXT NOT NULL,
                    recorded_at REAL NOT NULL,
                    withdrawn_by TEXT,
                    withdrawn_at REAL
                );
                CREATE INDEX intake_exception_case ON intake_exception(case_id, purpose, id);
                """)
        }
    }
}