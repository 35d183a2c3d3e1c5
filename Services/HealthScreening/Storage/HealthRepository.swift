import Foundation
import GRDB
import HomewardModel
import HomewardStore
import HealthScreeningAPI

/// Reads and writes health screening's tables inside the caller's transaction; the only
/// place that knows them. Hot statements (every case passes through them) are prepared
/// once per connection.
enum HealthRepository {
    struct Screening {
        var id: Int64
        var requiredTests: [String]
    }

    struct Exam {
        var examinedOn: LocalDate
        var tests: [String: String]
        var recordedAt: Date
    }

    struct Clearance {
        var outcomeID: Int64
        var travellerID: TravellerID
        var caseID: CaseID
        var validUntil: Date
        var announced: Bool
    }

    struct DueCheck {
        var id: Int64
        var bookingID: BookingID
        var window: ClosedRange<Date>
    }

    /// An outcome as recorded: after screening, or a hold or refusal at the check.
    struct Outcome {
        var outcome: FitnessOutcome
        /// As stored (sealed JSON).
        var requirements: String
        var holdUntil: Date?
        var validFrom: Date?
        var validUntil: Date?
        var recordedBy: String
    }

    // MARK: Travellers

    static func status(of traveller: TravellerID, in db: Database) throws -> TravellerStatus? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT status FROM health_traveller WHERE traveller_id = ?"), arguments: [traveller.rawValue])
            .map { TravellerStatus(rawValue: $0) ?? .closed }
    }

    /// The case of a traveller this store knows.
    static func caseID(of traveller: TravellerID, in db: Database) throws -> CaseID? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT case_id FROM health_traveller WHERE traveller_id = ?"), arguments: [traveller.rawValue]).map(CaseID.init)
    }

    static func age(of traveller: TravellerID, in db: Database) throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT age_years FROM health_traveller WHERE traveller_id = ?"), arguments: [traveller.rawValue]) ?? 0
    }

    /// Adds a traveller; false when the store knows it already (the event came again).
    static func addTraveller(_ traveller: ReadyForScreening.Traveller, of caseID: CaseID, at now: Date, in db: Database) throws -> Bool {
        let known = try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM health_traveller WHERE traveller_id = ?"),
                                      arguments: [traveller.travellerID.rawValue]) ?? false
        if known { return false }
        try db.cachedStatement(sql: "INSERT INTO health_traveller (traveller_id, case_id, age_years, sex, status, updated_at) VALUES (?, ?, ?, ?, ?, ?)")
            .execute(arguments: [traveller.travellerID.rawValue, caseID.rawValue, traveller.ageYears, traveller.sex.rawValue,
                                 TravellerStatus.active.rawValue, now.timeIntervalSince1970])
        return true
    }

    static func setStatus(_ status: TravellerStatus, of traveller: TravellerID, at now: Date, in db: Database) throws {
        try db.cachedStatement(sql: "UPDATE health_traveller SET status = ?, updated_at = ? WHERE traveller_id = ?")
            .execute(arguments: [status.rawValue, now.timeIntervalSince1970, traveller.rawValue])
    }

    /// The case ended: its open screenings and due checks close, its travellers too.
    static func closeCase(_ caseID: CaseID, at now: Date, in db: Database) throws {
        try db.execute(sql: "UPDATE health_screening SET status = 'closed' WHERE status IN ('open', 'on-hold') AND traveller_id IN (SELECT traveller_id FROM health_traveller WHERE case_id = ?)",
                       arguments: [caseID.rawValue])
        try db.execute(sql: "UPDATE health_precheck SET status = 'closed' WHERE status = 'due' AND traveller_id IN (SELECT traveller_id FROM health_traveller WHERE case_id = ?)",
                       arguments: [caseID.rawValue])
        try db.execute(sql: "UPDATE health_traveller SET status = 'closed', updated_at = ? WHERE case_id = ?",
                       arguments: [now.timeIntervalSince1970, caseID.rawValue])
    }

    /// Erases the case's medical detail: every exam (date, results, notes, conditions) and
    /// the travel requirements of outcomes and checks. Kept: age, sex, the screenings
    /// (kind, required tests, status), outcomes with their dates, and the checks' windows.
    /// Open work closes; the travellers are `erased`.
    static func erase(_ caseID: CaseID, at now: Date, in db: Database) throws {
        let travellers = "SELECT traveller_id FROM health_traveller WHERE case_id = ?"
        try db.execute(sql: "DELETE FROM health_exam WHERE screening_id IN (SELECT id FROM health_screening WHERE traveller_id IN (\(travellers)))",
                       arguments: [caseID.rawValue])
        try db.execute(sql: "UPDATE health_outcome SET requirements = '' WHERE traveller_id IN (\(travellers))", arguments: [caseID.rawValue])
        try db.execute(sql: "UPDATE health_precheck SET requirements = CASE WHEN requirements IS NULL THEN NULL ELSE '' END, status = CASE status WHEN 'due' THEN 'closed' ELSE status END WHERE traveller_id IN (\(travellers))",
                       arguments: [caseID.rawValue])
        try db.execute(sql: "UPDATE health_screening SET status = 'closed' WHERE status IN ('open', 'on-hold') AND traveller_id IN (\(travellers))",
                       arguments: [caseID.rawValue])
        try db.cachedStatement(sql: "UPDATE health_traveller SET status = 'erased', updated_at = ? WHERE case_id = ?").execute(arguments: [now.timeIntervalSince1970, caseID.rawValue])
    }

    /// Cases whose travellers have all departed or closed, the last of them before `before`
    /// (``MedicalRetentionSweep``), longest ago first.
    static func casesDoneBefore(_ before: Date, limit: Int, in db: Database) throws -> [CaseID] {
        try String.fetchAll(db.cachedStatement(sql: """
            SELECT case_id FROM health_traveller GROUP BY case_id
            HAVING SUM(status NOT IN ('departed', 'closed')) = 0 AND MAX(updated_at) < ? ORDER BY MAX(updated_at) LIMIT ?
            """), arguments: [before.timeIntervalSince1970, limit]).map { CaseID($0) }
    }

    // MARK: Screenings

    /// Opens a screening; `requiredTests` as stored (a JSON list).
    static func openScreening(_ traveller: TravellerID, kind: ScreeningKind, requiredTests: String, at now: Date, in db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO health_screening (traveller_id, kind, required_tests, status, opened_at) VALUES (?, ?, ?, 'open', ?)")
            .execute(arguments: [traveller.rawValue, kind.rawValue, requiredTests, now.timeIntervalSince1970])
    }

    /// The traveller's screening awaiting an outcome, if any.
    static func openScreening(of traveller: TravellerID, in db: Database) throws -> Screening? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT id, required_tests FROM health_screening WHERE traveller_id = ? AND status IN ('open', 'on-hold') ORDER BY id DESC LIMIT 1"),
                         arguments: [traveller.rawValue])
            .map { Screening(id: $0[0], requiredTests: try StoredJSON.value([String].self, $0[1])) }
    }

    /// Whether the traveller has a screening awaiting an outcome.
    static func hasOpenScreening(_ traveller: TravellerID, in db: Database) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM health_screening WHERE traveller_id = ? AND status IN ('open', 'on-hold')"),
                          arguments: [traveller.rawValue]) ?? false
    }

    static func supersedeOpenScreenings(of traveller: TravellerID, in db: Database) throws {
        try db.execute(sql: "UPDATE health_screening SET status = 'superseded' WHERE traveller_id = ? AND status IN ('open', 'on-hold')",
                       arguments: [traveller.rawValue])
    }

    static func setStatus(_ status: ScreeningStatus, ofScreening id: Int64, in db: Database) throws {
        try db.cachedStatement(sql: "UPDATE health_screening SET status = ? WHERE id = ?").execute(arguments: [status.rawValue, id])
    }

    static func latestScreeningID(of traveller: TravellerID, in db: Database) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(id) FROM health_screening WHERE traveller_id = ?"), arguments: [traveller.rawValue])
    }

    // MARK: Exams and outcomes

    static func addExam(_ input: ExamInput, to screening: Int64, at now: Date, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO health_exam (screening_id, examined_on, results, notes, conditions, recorded_by, recorded_at)
            VALUES (?, hw_seal(?, 'health_exam.examined_on'), hw_seal(?, 'health_exam.results'), hw_seal(?, 'health_exam.notes'),
                    hw_seal(?, 'health_exam.conditions'), ?, ?)
            """).execute(arguments: [screening, input.examinedOn.description, try StoredJSON.text(input.results), input.notes,
                             try StoredJSON.text(input.conditions ?? []), input.recordedBy, now.timeIntervalSince1970])
    }

    static func latestExam(of screening: Int64, in db: Database) throws -> Exam? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT hw_open(examined_on, 'health_exam.examined_on'), hw_open(results, 'health_exam.results'), recorded_at FROM health_exam WHERE screening_id = ? ORDER BY id DESC LIMIT 1"), arguments: [screening])
            .map { Exam(examinedOn: LocalDate($0[0] as String)!, tests: try StoredJSON.value([String: String].self, $0[1]), recordedAt: Date(timeIntervalSince1970: $0[2])) }
    }

    /// When the screening's last hold was recorded.
    static func lastHold(of screening: Int64, in db: Database) throws -> Date? {
        try Double.fetchOne(db.cachedStatement(sql: "SELECT MAX(recorded_at) FROM health_outcome WHERE screening_id = ? AND outcome = 'on-hold'"),
                            arguments: [screening]).map(Date.init(timeIntervalSince1970:))
    }

    static func addOutcome(_ outcome: Outcome, of traveller: TravellerID, screening: Int64, at now: Date, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO health_outcome (screening_id, traveller_id, outcome, requirements, hold_until, valid_from, valid_until, recorded_by, recorded_at)
            VALUES (?, ?, ?, hw_seal(?, 'health_outcome.requirements'), ?, ?, ?, ?, ?)
            """).execute(arguments: [screening, traveller.rawValue, outcome.outcome.rawValue, outcome.requirements,
                             outcome.holdUntil?.timeIntervalSince1970, outcome.validFrom?.timeIntervalSince1970, outcome.validUntil?.timeIntervalSince1970,
                             outcome.recordedBy, now.timeIntervalSince1970])
    }

    /// The end of the traveller's latest outcome when it is a hold.
    static func holdUntil(of traveller: TravellerID, in db: Database) throws -> Date? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT outcome, hold_until FROM health_outcome WHERE traveller_id = ? ORDER BY id DESC LIMIT 1"),
                                         arguments: [traveller.rawValue]),
              (row[0] as String) == FitnessOutcome.onHold.rawValue, let until = row[1] as Double? else { return nil }
        return Date(timeIntervalSince1970: until)
    }

    // MARK: Clearances and lapses

    static func latestClearance(of traveller: TravellerID, case caseID: CaseID, in db: Database) throws -> Clearance? {
        try Row.fetchOne(db.cachedStatement(sql: """
            SELECT id, valid_until, lapse_announced FROM health_outcome WHERE traveller_id = ? AND valid_until IS NOT NULL ORDER BY id DESC LIMIT 1
            """), arguments: [traveller.rawValue])
            .map { Clearance(outcomeID: $0[0], travellerID: traveller, caseID: caseID, validUntil: Date(timeIntervalSince1970: $0[1]), announced: $0[2]) }
    }

    /// Latest clearances that ran out before `now` unannounced while their traveller has not departed.
    static func unannouncedLapses(before now: Date, in db: Database) throws -> [Clearance] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT o.id, o.traveller_id, t.case_id, o.valid_until FROM health_outcome o JOIN health_traveller t ON t.traveller_id = o.traveller_id
            WHERE o.lapse_announced = 0 AND o.valid_until IS NOT NULL AND o.valid_until < ? AND t.status = 'active'
              AND o.id = (SELECT MAX(id) FROM health_outcome WHERE traveller_id = o.traveller_id)
            """), arguments: [now.timeIntervalSince1970])
            .map { Clearance(outcomeID: $0[0], travellerID: TravellerID($0[1] as String), caseID: CaseID($0[2] as String),
                             validUntil: Date(timeIntervalSince1970: $0[3]), announced: false) }
    }

    static func markLapseAnnounced(_ clearance: Clearance, in db: Database) throws {
        try db.cachedStatement(sql: "UPDATE health_outcome SET lapse_announced = 1 WHERE id = ?").execute(arguments: [clearance.outcomeID])
    }

    // MARK: Pre-embarkation checks

    /// A confirmed booking's check, replacing any still due for the traveller.
    static func addDueCheck(_ traveller: TravellerID, booking: BookingConfirmed, window: ClosedRange<Date>, in db: Database) throws {
        try closeDueChecks(of: traveller, in: db)
        try db.cachedStatement(sql: """
            INSERT INTO health_precheck (traveller_id, booking_id, departure_at, window_from, window_to, status) VALUES (?, ?, ?, ?, ?, 'due')
            """).execute(arguments: [traveller.rawValue, booking.bookingID.rawValue, booking.departureAt.timeIntervalSince1970,
                             window.lowerBound.timeIntervalSince1970, window.upperBound.timeIntervalSince1970])
    }

    static func closeDueChecks(of traveller: TravellerID, in db: Database) throws {
        try db.cachedStatement(sql: "UPDATE health_precheck SET status = 'closed' WHERE traveller_id = ? AND status = 'due'").execute(arguments: [traveller.rawValue])
    }

    static func closeDueChecks(of booking: BookingID, in db: Database) throws {
        try db.cachedStatement(sql: "UPDATE health_precheck SET status = 'closed' WHERE booking_id = ? AND status = 'due'").execute(arguments: [booking.rawValue])
    }

    static func dueCheck(of traveller: TravellerID, in db: Database) throws -> DueCheck? {
        try Row.fetchOne(db.cachedStatement(sql: """
            SELECT id, booking_id, window_from, window_to FROM health_precheck WHERE traveller_id = ? AND status = 'due' ORDER BY id DESC LIMIT 1
            """), arguments: [traveller.rawValue])
            .map { DueCheck(id: $0[0], bookingID: BookingID($0[1] as String),
                            window: Date(timeIntervalSince1970: $0[2])...Date(timeIntervalSince1970: $0[3])) }
    }

    static func completeCheck(_ check: DueCheck, _ input: FitnessInput, checkedAt: Date, in db: Database) throws {
        try db.execute(sql: "UPDATE health_precheck SET status = 'done', outcome = ?, requirements = hw_seal(?, 'health_precheck.requirements'), hold_until = ?, checked_at = ?, recorded_by = ? WHERE id = ?",
                       arguments: [input.outcome.rawValue, try StoredJSON.text(input.travelRequirements ?? []), input.holdUntil?.timeIntervalSince1970,
                                   checkedAt.timeIntervalSince1970, input.recordedBy, check.id])
    }
}
