import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore
import HealthScreeningAPI

/// Health officers' reads: one traveller's full record, and the work lists.
extension HealthRepository {
    static func record(_ traveller: TravellerID, in db: Database) throws -> TravellerRecord? {
        guard let t = try Row.fetchOne(db.cachedStatement(sql: "SELECT case_id, age_years, sex, status, medical_erased_at FROM health_traveller WHERE traveller_id = ?"),
                                       arguments: [traveller.rawValue]) else { return nil }
        let screenings = try Row.fetchAll(db.cachedStatement(sql: "SELECT id, kind, status, required_tests, opened_at FROM health_screening WHERE traveller_id = ? ORDER BY id"),
                                          arguments: [traveller.rawValue]).map { s -> ScreeningView in
            let id: Int64 = s[0]
            let exams = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT hw_open(examined_on, 'health_exam.examined_on'), hw_open(results, 'health_exam.results'), hw_open(notes, 'health_exam.notes'),
                       hw_open(conditions, 'health_exam.conditions'), recorded_by, recorded_at FROM health_exam WHERE screening_id = ? ORDER BY id
                """),
                                         arguments: [id]).map { e in
                ExamView(examinedOn: LocalDate(e[0] as String)!, results: try StoredJSON.value([String: String].self, e[1]), notes: e[2],
                         conditions: try StoredJSON.value([String].self, e[3]), recordedBy: e[4], recordedAt: Date(timeIntervalSince1970: e[5]))
            }
            let outcomes = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT outcome, hw_open(requirements, 'health_outcome.requirements'), hold_until, valid_from, valid_until, recorded_by, recorded_at
                FROM health_outcome WHERE screening_id = ? ORDER BY id
                """), arguments: [id]).map { o in
                OutcomeView(outcome: FitnessOutcome(rawValue: o[0]) ?? .notCleared, travelRequirements: try StoredJSON.erasable([TravelRequirement].self, o[1]),
                            holdUntil: (o[2] as Double?).map(Date.init(timeIntervalSince1970:)), validFrom: (o[3] as Double?).map(Date.init(timeIntervalSince1970:)),
                            validUntil: (o[4] as Double?).map(Date.init(timeIntervalSince1970:)), recordedBy: o[5], recordedAt: Date(timeIntervalSince1970: o[6]))
            }
            return ScreeningView(screeningID: id, kind: ScreeningKind(rawValue: s[1]) ?? .initial, status: s[2],
                                 requiredTests: try StoredJSON.value([String].self, s[3]), openedAt: Date(timeIntervalSince1970: s[4]),
                                 exams: exams, outcomes: outcomes)
        }
        let checks = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT booking_id, departure_at, window_from, window_to, status, outcome, checked_at, hw_open(requirements, 'health_precheck.requirements'), hold_until
            FROM health_precheck WHERE traveller_id = ? ORDER BY id
            """), arguments: [traveller.rawValue]).map { c in
            PreEmbarkationView(bookingID: BookingID(c[0] as String), departureAt: Date(timeIntervalSince1970: c[1]),
                               windowFrom: Date(timeIntervalSince1970: c[2]), windowTo: Date(timeIntervalSince1970: c[3]), status: c[4],
                               outcome: (c[5] as String?).flatMap(FitnessOutcome.init(rawValue:)),
                               travelRequirements: try StoredJSON.erasable([TravelRequirement].self, c[7]),
                               holdUntil: (c[8] as Double?).map(Date.init(timeIntervalSince1970:)), checkedAt: (c[6] as Double?).map(Date.init(timeIntervalSince1970:)))
        }
        let caseID = CaseID(t[0] as String)
        return TravellerRecord(travellerID: traveller, caseID: caseID, ageYears: t[1], sex: Sex(rawValue: t[2]) ?? .other,
                               status: t[3], screenings: screenings, preEmbarkationChecks: checks,
                               heldForConsent: try ConsentStore.isWithdrawn(.processing, of: caseID, in: db),
                               medicalDetailErasedAt: (t[4] as Double?).map(Date.init(timeIntervalSince1970:)))
    }

    /// The work lists' order: screenings before pre-embarkation checks, each by its date
    /// (a hold by its end), then traveller.
    static func order(_ item: WorkItem) -> PageKey {
        let (group, at): (Double, Date) = if let holdUntil = item.holdUntil { (0, holdUntil) }
            else if item.kind == "screening" { (0, item.since) } else { (1, item.dueBy ?? item.since) }
        return PageKey(.number(group), .number(at.timeIntervalSince1970), .text(item.travellerID.rawValue), .number(item.since.timeIntervalSince1970))
    }

    /// `due`: screenings without an outcome (or whose hold has ended) and pre-embarkation
    /// checks not yet done, including windows still to open;
    /// `overdue`: pre-embarkation checks whose window has passed unchecked;
    /// `on-hold`: travellers on a hold that has not ended.
    /// Each part gives at most `page.limit + 1` items after the cursor, in ``order(_:)``'s order.
    static func workList(_ list: String, now: Date, page: PageRequest = PageRequest(limit: 500), in db: Database) throws -> [WorkItem] {
        let t = now.timeIntervalSince1970
        // The key (group, date, traveller, since) as SQL, compared with the cursor's as a row value.
        func items(_ sql: String, _ arguments: StatementArguments, kind: String, group: Int, key: (date: String, since: String)) throws -> [WorkItem] {
            var sql = sql, arguments = arguments
            if let after = page.after, let g = after.number(0), let date = after.number(1), let traveller = after.text(2), let since = after.number(3) {
                sql += " AND (\(group), \(key.date), t.traveller_id, \(key.since)) > (?, ?, ?, ?)"
                arguments += [g, date, traveller, since]
            }
            sql += " ORDER BY \(key.date), t.traveller_id, \(key.since) LIMIT ?"
            arguments += [page.limit + 1]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map {
                let caseID = CaseID($0[1] as String)
                return WorkItem(travellerID: TravellerID($0[0] as String), caseID: caseID, kind: kind, since: Date(timeIntervalSince1970: $0[2]),
                                dueBy: ($0[3] as Double?).map(Date.init(timeIntervalSince1970:)), holdUntil: ($0[4] as Double?).map(Date.init(timeIntervalSince1970:)),
                                heldForConsent: try ConsentStore.isWithdrawn(.processing, of: caseID, in: db))
            }
        }
        let dueChecks = """
            SELECT t.traveller_id, t.case_id, p.window_from, p.window_to, NULL FROM health_precheck p JOIN health_traveller t USING (traveller_id)
            WHERE p.status = 'due'
            """
        switch list {
        case "due":
            return try items("""
                SELECT t.traveller_id, t.case_id, s.opened_at, NULL, NULL FROM health_screening s JOIN health_traveller t USING (traveller_id)
                WHERE t.status = 'active' AND (s.status = 'open' OR (s.status = 'on-hold' AND NOT EXISTS (
                    SELECT 1 FROM health_outcome o WHERE o.screening_id = s.id AND o.outcome = 'on-hold' AND o.hold_until > ?)))
                """, [t], kind: "screening", group: 0, key: ("s.opened_at", "s.opened_at"))
                + items(dueChecks + " AND p.window_to >= ?", [t], kind: "pre-embarkation", group: 1, key: ("p.window_to", "p.window_from"))
        case "overdue":
            return try items(dueChecks + " AND p.window_to < ?", [t], kind: "pre-embarkation", group: 1, key: ("p.window_to", "p.window_from"))
        default:
            return try items("""
                SELECT t.traveller_id, t.case_id, o.recorded_at, NULL, o.hold_until FROM health_outcome o JOIN health_traveller t USING (traveller_id)
                WHERE o.outcome = 'on-hold' AND o.hold_until > ? AND t.status = 'active'
                  AND o.id = (SELECT MAX(id) FROM health_outcome WHERE traveller_id = o.traveller_id)
                """, [t], kind: "screening", group: 0, key: ("o.hold_until", "o.recorded_at"))
        }
    }
}
