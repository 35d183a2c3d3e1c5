import GRDB

/// Intake's tables. Personal data (names, dates of birth) lives in `intake_traveller`
/// only; events carry traveller ids.
enum IntakeSchema {
    static func register(in migrator: inout DatabaseMigrator) {
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
    }
}
