import GRDB
import HomewardRuntime
import HomewardStore

/// Health screening's tables. `health_exam` holds the medical detail (results, notes,
/// conditions); nothing in it is ever copied into an event, a log line or a problem.
///
/// Sealed at rest (``sealedColumns``): every medical field, the exam (date, results, notes,
/// conditions) and the travel requirements of outcomes and pre-embarkation checks (they
/// name conditions: oxygen, stretcher). In clear, for the rules and the work lists: age in
/// years and sex (what intake's event carries), statuses, outcomes and the dates of holds,
/// windows and validity, which the events publish anyway.
enum HealthSchema: ServiceSchema {
    static let sealedColumns: [SealedColumn] = [
        SealedColumn("health_exam", "examined_on"),
        SealedColumn("health_exam", "results"),
        SealedColumn("health_exam", "notes"),
        SealedColumn("health_exam", "conditions"),
        SealedColumn("health_outcome", "requirements"),
        SealedColumn("health_precheck", "requirements"),
    ] + DocumentStore.sealedColumns

    /// Each table's case, through the traveller (listed before `health_traveller`).
    static let partitionedTables: [PartitionedTable] = {
        let viaTraveller = "(SELECT t.case_id FROM health_traveller t WHERE t.traveller_id = %@.traveller_id)"
        let viaScreening = "(SELECT t.case_id FROM health_screening s JOIN health_traveller t USING (traveller_id) WHERE s.id = health_exam.screening_id)"
        return [PartitionedTable("health_exam", caseID: viaScreening)]
            + ["health_outcome", "health_precheck", "health_screening"].map { PartitionedTable($0, caseID: viaTraveller.replacingOccurrences(of: "%@", with: $0)) }
            + [PartitionedTable("health_traveller")]
    }() + CaseDocuments.partitionedTables + ConsentStore.tables.map { PartitionedTable($0) }

    static func register(in migrator: inout DatabaseMigrator) {
        // The case's documents (``DocumentStore``), as every service keeps them.
        DocumentStore.register(in: &migrator)
        migrator.registerMigration("health-v1") { db in
            try db.execute(sql: """
                CREATE TABLE health_traveller (
                    traveller_id TEXT PRIMARY KEY,
                    case_id TEXT NOT NULL,
                    age_years INTEGER NOT NULL,
                    sex TEXT NOT NULL,
                    status TEXT NOT NULL,
                    updated_at REAL NOT NULL
                );
                CREATE INDEX health_traveller_case ON health_traveller(case_id);
                CREATE TABLE health_screening (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    traveller_id TEXT NOT NULL REFERENCES health_traveller(traveller_id),
                    kind TEXT NOT NULL,
                    required_tests TEXT NOT NULL,
                    status TEXT NOT NULL,
                    opened_at REAL NOT NULL
                );
                CREATE INDEX health_screening_traveller ON health_screening(traveller_id, id);
                CREATE INDEX health_screening_status ON health_screening(status, opened_at);
                CREATE TABLE health_exam (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    screening_id INTEGER NOT NULL REFERENCES health_screening(id),
                    examined_on TEXT NOT NULL,
                    results TEXT NOT NULL,
                    notes TEXT,
                    conditions TEXT NOT NULL,
                    recorded_by TEXT NOT NULL,
                    recorded_at REAL NOT NULL
                );
                CREATE INDEX health_exam_screening ON health_exam(screening_id, id);
                CREATE TABLE health_outcome (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    screening_id INTEGER NOT NULL REFERENCES health_screening(id),
                    traveller_id TEXT NOT NULL,
                    outcome TEXT NOT NULL,
                    requirements TEXT NOT NULL,
                    hold_until REAL,
                    valid_from REAL,
                    valid_until REAL,
                    lapse_announced INTEGER NOT NULL DEFAULT 0,
                    recorded_by TEXT NOT NULL,
                    recorded_at REAL NOT NULL
                );
                CREATE INDEX health_outcome_traveller ON health_outcome(traveller_id, id);
                CREATE INDEX health_outcome_lapse ON health_outcome(valid_until) WHERE lapse_announced = 0 AND valid_until IS NOT NULL;
                CREATE TABLE health_precheck (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    traveller_id TEXT NOT NULL REFERENCES health_traveller(traveller_id),
                    booking_id TEXT NOT NULL,
                    departure_at REAL NOT NULL,
                    window_from REAL NOT NULL,
                    window_to REAL NOT NULL,
                    status TEXT NOT NULL,
                    outcome TEXT,
                    requirements TEXT,
                    hold_until REAL,
                    checked_at REAL,
                    recorded_by TEXT
                );
                CREATE INDEX health_precheck_traveller ON health_precheck(traveller_id, id);
                CREATE INDEX health_precheck_status ON health_precheck(status, window_to);
                """)
        }
        // The latest consent per case and purpose (``ConsentStore``): withdrawn, consent to
        // processing holds the case's screening.
        ConsentStore.register(in: &migrator)
        // Medical detail has a retention of its own (``MedicalRetentionSweep``): when it was erased.
        migrator.registerMigration("health-v2-medical-retention") { db in
            try db.execute(sql: "ALTER TABLE health_traveller ADD COLUMN medical_erased_at REAL")
        }
    }
}
