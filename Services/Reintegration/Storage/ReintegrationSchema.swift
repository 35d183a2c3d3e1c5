import GRDB
import HomewardRuntime
import HomewardStore

/// Reintegration's tables. The ledger (`reint_disbursement`) is append-only: a correction
/// is a reversing entry, never an edit, so it always adds up.
///
/// Sealed at rest (``sealedColumns``): what identifies the person in the plan, the
/// assessments' summaries (needs, vulnerability, family, skills), item descriptions, what
/// was delivered, the survey answers, and the reception note. No contact details or address
/// are kept here. In clear, for the lists and the ledger's sums: dimensions, categories,
/// partners (organisations), amounts, dates, scores, statuses and outcomes; the bookings
/// expected (airport, flight, arrival, as travel keeps them) and the reception needs, a
/// closed set of what the partner arranges, like the plan's categories; referrals' partners,
/// services, statuses and who recorded each step (the reason or note of a step is sealed).
enum ReintegrationSchema: ServiceSchema {
    static let sealedColumns: [SealedColumn] = [
        SealedColumn("reint_assessment", "summary", rowKey: "(case_id, kind)"),
        SealedColumn("reint_item", "description"),
        SealedColumn("reint_disbursement", "delivered"),
        SealedColumn("reint_visit", "answers"),
        SealedColumn("reint_reception", "note"),
        SealedColumn("reint_referral_step", "reason"),
    ] + DocumentStore.sealedColumns

    /// Every table names its case.
    static let partitionedTables: [PartitionedTable] = ["reint_assessment", "reint_plan", "reint_item", "reint_referral", "reint_disbursement", "reint_visit",
                                    "reint_booking", "reint_reception", "reint_case", "reint_referral_step"].map { PartitionedTable($0) }
        + CaseDocuments.partitionedTables + ConsentStore.tables.map { PartitionedTable($0) }

    static func register(in migrator: inout DatabaseMigrator) {
        // The case's documents (``DocumentStore``), as every service keeps them.
        DocumentStore.register(in: &migrator)
        migrator.registerMigration("reintegration-v1") { db in
            try db.execute(sql: """
                CREATE TABLE reint_case (
                    case_id TEXT PRIMARY KEY,
                    status TEXT NOT NULL,
                    return_country TEXT,
                    eligible INTEGER,
                    budget_minor INTEGER,
                    currency TEXT,
                    partner_consent INTEGER NOT NULL DEFAULT 0,
                    cancelled INTEGER NOT NULL DEFAULT 0,
                    arrived_at REAL,
                    opened_at REAL,
                    closed_at REAL,
                    outcome TEXT,
                    updated_at REAL NOT NULL
                );
                CREATE INDEX reint_case_status ON reint_case(status, return_country);
                CREATE TABLE reint_assessment (
                    case_id TEXT NOT NULL REFERENCES reint_case(case_id),
                    kind TEXT NOT NULL,
                    summary TEXT NOT NULL,
                    recorded_by TEXT NOT NULL,
                    recorded_at REAL NOT NULL,
                    PRIMARY KEY (case_id, kind)
                ) WITHOUT ROWID;
                CREATE TABLE reint_plan (
                    case_id TEXT PRIMARY KEY REFERENCES reint_case(case_id),
                    status TEXT NOT NULL,
                    author TEXT NOT NULL,
                    submitted_at REAL NOT NULL,
                    approved_by TEXT,
                    approved_at REAL
                );
                CREATE TABLE reint_item (
                    item_id TEXT PRIMARY KEY,
                    case_id TEXT NOT NULL REFERENCES reint_case(case_id),
                    position INTEGER NOT NULL,
                    dimension TEXT NOT NULL,
                    category TEXT NOT NULL,
                    partner TEXT NOT NULL,
                    description TEXT NOT NULL,
                    planned_minor INTEGER NOT NULL
                );
                CREATE INDEX reint_item_case ON reint_item(case_id, position);
                CREATE TABLE reint_referral (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    case_id TEXT NOT NULL REFERENCES reint_case(case_id),
                    partner TEXT NOT NULL,
                    recorded_by TEXT NOT NULL,
                    recorded_at REAL NOT NULL
                );
                CREATE TABLE reint_disbursement (
                    disbursement_id TEXT PRIMARY KEY,
                    case_id TEXT NOT NULL REFERENCES reint_case(case_id),
                    item_id TEXT NOT NULL REFERENCES reint_item(item_id),
                    delivered TEXT NOT NULL,
                    partner TEXT NOT NULL,
                    delivered_at REAL NOT NULL,
                    value_minor INTEGER NOT NULL,
                    reverses TEXT UNIQUE,
                    recorded_by TEXT NOT NULL,
                    recorded_at REAL NOT NULL
                );
                CREATE INDEX reint_disbursement_case ON reint_disbursement(case_id, recorded_at);
                CREATE TRIGGER reint_ledger_append_only BEFORE UPDATE ON reint_disbursement
                BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: record a reversing entry'); END;
                CREATE TABLE reint_visit (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    case_id TEXT NOT NULL REFERENCES reint_case(case_id),
                    visited_at REAL NOT NULL,
                    answers TEXT NOT NULL,
                    economic REAL NOT NULL,
                    social REAL NOT NULL,
                    psychosocial REAL NOT NULL,
                    composite REAL NOT NULL,
                    recorded_by TEXT NOT NULL
                );
                CREATE INDEX reint_visit_case ON reint_visit(case_id, visited_at);
                """)
        }
        // The ledger stays append-only for what it accounts (items, amounts, dates,
        // partners, who recorded it); its description of what was delivered is sealed, so
        // it is re-sealed on key rotation and erased with the person's data.
        migrator.registerMigration("reintegration-v2-sealed") { db in
            try db.execute(sql: """
                DROP TRIGGER reint_ledger_append_only;
                CREATE TRIGGER reint_ledger_append_only
                BEFORE UPDATE OF disbursement_id, case_id, item_id, partner, delivered_at, value_minor, reverses, recorded_by, recorded_at
                ON reint_disbursement
                BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: record a reversing entry'); END;
                """)
        }
        // Each submission of a plan is a new version: its ETag, for If-Match.
        migrator.registerMigration("reintegration-v3-plan-version") { db in
            try db.execute(sql: "ALTER TABLE reint_plan ADD COLUMN version INTEGER NOT NULL DEFAULT 1")
        }
        // Handover before arrival: the bookings travel confirmed or cancelled (a cancelled
        // one is remembered so that an out-of-date confirmation of it changes nothing), the
        // one the case expects, and the reception needs recorded for it.
        migrator.registerMigration("reintegration-v4-expected") { db in
            try db.execute(sql: """
                ALTER TABLE reint_case ADD COLUMN expected_booking TEXT;
                CREATE TABLE reint_booking (
                    booking_id TEXT PRIMARY KEY,
                    case_id TEXT NOT NULL REFERENCES reint_case(case_id),
                    arrival_at REAL,
                    arrival_airport TEXT,
                    arrival_flight TEXT,
                    cancelled INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX reint_booking_case ON reint_booking(case_id);
                CREATE TABLE reint_reception (
                    case_id TEXT PRIMARY KEY REFERENCES reint_case(case_id),
                    needs TEXT NOT NULL,
                    note TEXT,
                    recorded_by TEXT NOT NULL,
                    recorded_at REAL NOT NULL
                );
                """)
        }
        // Referrals that close the loop: to a partner of the directory for a service, then
        // each step dated and attributed. A referral recorded before keeps its partner's
        // name as its id and name, no service, and is `sent` (no answer was recorded).
        migrator.registerMigration("reintegration-v5-referral-steps") { db in
            try db.execute(sql: """
                ALTER TABLE reint_referral ADD COLUMN referral_id TEXT;
                ALTER TABLE reint_referral ADD COLUMN partner_id TEXT;
                ALTER TABLE reint_referral ADD COLUMN service TEXT;
                ALTER TABLE reint_referral ADD COLUMN status TEXT NOT NULL DEFAULT 'sent';
                UPDATE reint_referral SET referral_id = case_id || '-R' || id, partner_id = partner;
                CREATE UNIQUE INDEX reint_referral_id ON reint_referral(referral_id);
                CREATE INDEX reint_referral_waiting ON reint_referral(status, recorded_at);
                CREATE TABLE reint_referral_step (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    referral_id TEXT NOT NULL REFERENCES reint_referral(referral_id),
                    case_id TEXT NOT NULL REFERENCES reint_case(case_id),
                    status TEXT NOT NULL,
                    reason TEXT,
                    recorded_by TEXT NOT NULL,
                    recorded_at REAL NOT NULL
                );
                CREATE INDEX reint_referral_step_referral ON reint_referral_step(referral_id, id);
                INSERT INTO reint_referral_step (referral_id, case_id, status, recorded_by, recorded_at)
                SELECT referral_id, case_id, 'sent', recorded_by, recorded_at FROM reint_referral ORDER BY id;
                """)
        }
        // Late entry: the family returned before it was registered, so its arrival is the
        // day of return intake recorded, and the case says why it came without travel.
        migrator.registerMigration("reintegration-v6-late-entry") { db in
            try db.execute(sql: "ALTER TABLE reint_case ADD COLUMN late_entry TEXT")
        }
        // Consents and exceptions as every service keeps them (``ConsentStore``), which
        // every flow to the partner checks (``SharingGate``). A consent given is carried
        // over, at the epoch so that any later change wins; `partner_consent` is no longer
        // read (a withdrawal there now reads as never given: refused all the same).
        ConsentStore.register(in: &migrator)
        migrator.registerMigration("reintegration-v7-consents") { db in
            try db.execute(sql: """
                INSERT OR IGNORE INTO case_consent (case_id, purpose, granted, changed_at)
                SELECT case_id, 'sharing-with-reintegration-partner', 1, 0 FROM reint_case WHERE partner_consent = 1
                """)
        }
    }
}
