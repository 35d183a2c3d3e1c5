import GRDB
import HomewardRuntime
import HomewardStore

/// Travel booking's tables: what it learnt of each case and traveller from events, and
/// its bookings. No names: travellers are ids, with their family role.
///
/// Sealed at rest (``sealedColumns``): travel requirements and the special-service items
/// made from them (they name conditions: wheelchair, oxygen, stretcher), and the free
/// text officers write (remarks for the airline, the reason for a late departure). No
/// names, contact details or document numbers are kept here: only each traveller's
/// document status. In clear: ids, family roles, statuses, clearance windows, whether each
/// traveller's orientation is required or recorded (never what was said), country and
/// city of return, and the itinerary (airports, flights, times).
enum TravelSchema: ServiceSchema {
    static let sealedColumns: [SealedColumn] = [
        SealedColumn("travel_traveller", "requirements"),
        SealedColumn("travel_booking", "items"),
        SealedColumn("travel_booking", "remarks"),
        SealedColumn("travel_booking", "late_departure_reason"),
    ] + DocumentStore.sealedColumns

    /// Each table's case; pre-embarkation checks through their traveller (listed first).
    static let partitionedTables: [PartitionedTable] = [
        PartitionedTable("travel_precheck", caseID: "(SELECT t.case_id FROM travel_traveller t WHERE t.traveller_id = travel_precheck.traveller_id)"),
        PartitionedTable("travel_booking"), PartitionedTable("travel_traveller"), PartitionedTable("travel_case"),
    ] + CaseDocuments.partitionedTables + ConsentStore.tables.map { PartitionedTable($0) }

    static func register(in migrator: inout DatabaseMigrator) {
        // The case's documents (``DocumentStore``), as every service keeps them.
        DocumentStore.register(in: &migrator)
        migrator.registerMigration("travel-v1") { db in
            try db.execute(sql: """
                CREATE TABLE travel_case (
                    case_id TEXT PRIMARY KEY,
                    status TEXT NOT NULL,
                    registered INTEGER NOT NULL DEFAULT 0,
                    eligible INTEGER,
                    declared INTEGER NOT NULL DEFAULT 0,
                    target_departure_by REAL,
                    return_country TEXT NOT NULL,
                    return_city TEXT,
                    updated_at REAL NOT NULL
                );
                CREATE TABLE travel_traveller (
                    traveller_id TEXT PRIMARY KEY,
                    case_id TEXT NOT NULL REFERENCES travel_case(case_id),
                    position INTEGER NOT NULL,
                    family_role TEXT NOT NULL,
                    document_status TEXT NOT NULL,
                    clearance TEXT NOT NULL,
                    valid_from REAL,
                    valid_until REAL,
                    requirements TEXT NOT NULL
                );
                CREATE INDEX travel_traveller_case ON travel_traveller(case_id, position);
                CREATE TABLE travel_precheck (
                    traveller_id TEXT NOT NULL,
                    booking_id TEXT NOT NULL,
                    outcome TEXT NOT NULL,
                    PRIMARY KEY (traveller_id, booking_id)
                ) WITHOUT ROWID;
                CREATE TABLE travel_booking (
                    booking_id TEXT PRIMARY KEY,
                    case_id TEXT NOT NULL REFERENCES travel_case(case_id),
                    status TEXT NOT NULL,
                    segments TEXT NOT NULL,
                    items TEXT NOT NULL,
                    traveller_ids TEXT NOT NULL,
                    departure_at REAL NOT NULL,
                    arrival_at REAL NOT NULL,
                    remarks TEXT,
                    late_departure_reason TEXT,
                    rebooking_of TEXT,
                    reason TEXT,
                    departed_at REAL,
                    arrived_at REAL,
                    transits TEXT NOT NULL DEFAULT '[]',
                    created_by TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    updated_at REAL NOT NULL
                );
                CREATE INDEX travel_booking_case ON travel_booking(case_id, created_at);
                CREATE INDEX travel_booking_departure ON travel_booking(status, departure_at);
                """)
        }
        // Each traveller's pre-departure orientation as intake's events tell it: not
        // required, required (the programme's departure gate), or recorded.
        migrator.registerMigration("travel-v2-orientation") { db in
            try db.execute(sql: "ALTER TABLE travel_traveller ADD COLUMN orientation TEXT NOT NULL DEFAULT 'not-required'")
        }
        // The latest consent per case and purpose (``ConsentStore``): withdrawn, consent to
        // processing holds the case's bookings and refuses new ones.
        ConsentStore.register(in: &migrator)
    }
}
