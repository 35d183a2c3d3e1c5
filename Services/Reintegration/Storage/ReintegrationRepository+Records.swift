import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import ReintegrationAPI

/// Officers' reads: one case, and the lists they work from.
extension ReintegrationRepository {
    static func view(_ caseID: CaseID, in db: Database) throws -> ReintegrationCaseView? {
        guard let c = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT c.status, c.return_country, c.budget_minor, c.currency, c.arrived_at, c.opened_at, c.outcome,
                   b.booking_id, b.arrival_at, b.arrival_airport, b.arrival_flight, c.late_entry
            FROM reint_case c LEFT JOIN reint_booking b ON b.booking_id = c.expected_booking WHERE c.case_id = ?
            """), arguments: [caseID.rawValue]) else { return nil }
        let currency: String? = c[3]
        func money(_ minor: Int64?) -> Money? { minor.flatMap { m in currency.map { Money(amountMinor: m, currency: $0) } } }
        let plan = try Row.fetchOne(db.cachedStatement(sql: "SELECT status, author, approved_by, version FROM reint_plan WHERE case_id = ?"), arguments: [caseID.rawValue]).map { p in
            PlanView(status: p[0], author: p[1], approvedBy: p[2], etag: PlanRules.etag(version: p[3]), items: try Row.fetchAll(db.cachedStatement(sql: """
                SELECT i.item_id, i.dimension, i.category, i.partner, hw_open(i.description, 'reint_item.description'), i.planned_minor,
                       (SELECT COALESCE(SUM(value_minor), 0) FROM reint_disbursement d WHERE d.item_id = i.item_id)
                FROM reint_item i WHERE i.case_id = ? ORDER BY i.position
                """), arguments: [caseID.rawValue]).map {
                ItemView(itemID: PlanItemID($0[0] as String), dimension: ReintegrationDimension(rawValue: $0[1])!, category: AssistanceCategory(rawValue: $0[2])!,
                         partner: $0[3], description: present($0[4]), plannedAmount: money($0[5])!, disbursed: money($0[6])!)
            })
        }
        return ReintegrationCaseView(
            caseID: caseID, status: c[0], returnCountry: c[1], budget: money(c[2]), disbursed: money(try disbursed(caseID, in: db)),
            expectedArrival: expectedArrival(c, from: 7),
            reception: try Row.fetchOne(db.cachedStatement(sql: """
                SELECT needs, hw_open(note, 'reint_reception.note'), recorded_by, recorded_at FROM reint_reception WHERE case_id = ?
                """), arguments: [caseID.rawValue]).map {
                ReceptionView(needs: ($0[0] as String).split(separator: ",").compactMap { ReceptionNeed(rawValue: String($0)) }, note: present($0[1]),
                              recordedBy: $0[2], recordedAt: Date(timeIntervalSince1970: $0[3]))
            },
            arrivedAt: (c[4] as Double?).map(Date.init(timeIntervalSince1970:)), lateEntry: (c[11] as String?).flatMap(LateEntryReason.init(rawValue:)),
            openedAt: (c[5] as Double?).map(Date.init(timeIntervalSince1970:)),
            assessments: try assessments(of: caseID, in: db),
            plan: plan,
            referrals: try referrals(of: caseID, in: db),
            ledger: try Row.fetchAll(db.cachedStatement(sql: """
                SELECT disbursement_id, item_id, hw_open(delivered, 'reint_disbursement.delivered'), partner, delivered_at, value_minor, reverses
                FROM reint_disbursement WHERE case_id = ? ORDER BY recorded_at, rowid
                """), arguments: [caseID.rawValue]).map {
                LedgerEntry(disbursementID: DisbursementID($0[0] as String), itemID: PlanItemID($0[1] as String), delivered: present($0[2]), partner: $0[3],
                            deliveredAt: Date(timeIntervalSince1970: $0[4]), value: money($0[5])!, reverses: ($0[6] as String?).map { DisbursementID($0) })
            },
            visits: try Row.fetchAll(db.cachedStatement(sql: "SELECT visited_at, economic, social, psychosocial, composite FROM reint_visit WHERE case_id = ? ORDER BY visited_at"),
                                     arguments: [caseID.rawValue]).map {
                VisitView(visitedAt: Date(timeIntervalSince1970: $0[0]),
                          scores: SustainabilityScores(economic: $0[1], social: $0[2], psychosocial: $0[3], composite: $0[4]))
            },
            outcome: (c[6] as String?).flatMap(ReintegrationOutcome.init(rawValue:)))
    }

    /// Open cases, oldest opening first: `open` (optionally by country), `awaiting-approval`,
    /// `budget-nearly-spent` (at least `nearlySpent` of the budget disbursed) and
    /// `visits-due` (no visit for `visitEvery` since the last one, or since opening); or
    /// `expected`, soonest arrival first, each with its arrival. At most `page.limit + 1`
    /// lines after its cursor, each with its opening or arrival time (the list's order).
    static func list(_ name: String, country: String?, now: Date, nearlySpent: Double, visitEvery: TimeInterval,
                     page: PageRequest = PageRequest(limit: 500), in db: Database) throws -> [(key: Double, line: CaseLine)] {
        let expected = name == "expected"
        let order = expected ? "b.arrival_at" : "c.opened_at"
        var conditions = ["c.status = ?"]
        var arguments: StatementArguments = [(expected ? ReintegrationCaseStatus.expected : .open).rawValue]
        if let country { conditions.append("c.return_country = ?"); arguments += [country] }
        if let after = page.after, let key = after.number(0), let caseID = after.text(1) {
            conditions.append("(\(order) > ? OR (\(order) = ? AND c.case_id > ?))")
            arguments += [key, key, caseID]
        }
        switch name {
        case "awaiting-approval":
            conditions.append("EXISTS (SELECT 1 FROM reint_plan p WHERE p.case_id = c.case_id AND p.status = ?)")
            arguments += [PlanStatus.awaitingApproval.rawValue]
        case "budget-nearly-spent":
            conditions.append("c.budget_minor > 0 AND (SELECT COALESCE(SUM(value_minor), 0) FROM reint_disbursement d WHERE d.case_id = c.case_id) >= c.budget_minor * ?")
            arguments += [nearlySpent]
        case "visits-due":
            conditions.append("COALESCE((SELECT MAX(visited_at) FROM reint_visit v WHERE v.case_id = c.case_id), c.opened_at) < ?")
            arguments += [now.timeIntervalSince1970 - visitEvery]
        default: break
        }
        return try Row.fetchAll(db, sql: """
            SELECT c.case_id, c.status, c.return_country, c.budget_minor, c.currency,
                   (SELECT COALESCE(SUM(value_minor), 0) FROM reint_disbursement d WHERE d.case_id = c.case_id),
                   (SELECT MAX(visited_at) FROM reint_visit v WHERE v.case_id = c.case_id), \(order),
                   b.booking_id, b.arrival_at, b.arrival_airport, b.arrival_flight
            FROM reint_case c LEFT JOIN reint_booking b ON b.booking_id = c.expected_booking
            WHERE \(conditions.joined(separator: " AND ")) ORDER BY \(order), c.case_id LIMIT ?
            """, arguments: arguments + [page.limit + 1]).map { row in
            let currency: String? = row[4]
            return (row[7], CaseLine(caseID: CaseID(row[0] as String), status: row[1], returnCountry: row[2],
                                     budget: (row[3] as Int64?).flatMap { m in currency.map { Money(amountMinor: m, currency: $0) } },
                                     disbursed: currency.map { Money(amountMinor: row[5], currency: $0) },
                                     lastVisitAt: (row[6] as Double?).map(Date.init(timeIntervalSince1970:)),
                                     expectedArrival: expectedArrival(row, from: 8)))
        }
    }

    /// The case's referrals in the order sent, each with its steps, oldest first.
    static func referrals(of caseID: CaseID, in db: Database) throws -> [ReferralView] {
        var steps: [String: [ReferralStepView]] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: """
            SELECT referral_id, status, recorded_at, recorded_by, hw_open(reason, 'reint_referral_step.reason') FROM reint_referral_step WHERE case_id = ? ORDER BY id
            """), arguments: [caseID.rawValue]) {
            steps[row[0], default: []].append(ReferralStepView(status: ReferralStatus(rawValue: row[1]) ?? .sent, at: Date(timeIntervalSince1970: row[2]),
                                                               by: row[3], reason: present(row[4])))
        }
        return try Row.fetchAll(db.cachedStatement(sql: "SELECT referral_id, partner_id, partner, service, status FROM reint_referral WHERE case_id = ? ORDER BY id"),
                                arguments: [caseID.rawValue]).map {
            ReferralView(referralID: $0[0], partnerID: $0[1], partnerName: $0[2], service: ($0[3] as String?).flatMap(AssistanceCategory.init(rawValue:)),
                         status: ReferralStatus(rawValue: $0[4]) ?? .sent, steps: steps[$0[0]] ?? [])
        }
    }

    /// Referrals still `sent` (no answer recorded) since before `sentBefore`, oldest first:
    /// at most `page.limit + 1` after its cursor, each with its sending time (the order).
    static func referralsWaiting(sentBefore: Date, page: PageRequest = PageRequest(limit: 500), in db: Database) throws -> [(key: Double, line: ReferralLine)] {
        var conditions = ["status = ?", "recorded_at < ?"]
        var arguments: StatementArguments = [ReferralStatus.sent.rawValue, sentBefore.timeIntervalSince1970]
        if let after = page.after, let key = after.number(0), let id = after.text(1) {
            conditions.append("(recorded_at > ? OR (recorded_at = ? AND referral_id > ?))")
            arguments += [key, key, id]
        }
        return try Row.fetchAll(db, sql: """
            SELECT case_id, referral_id, partner_id, partner, service, status, recorded_at FROM reint_referral
            WHERE \(conditions.joined(separator: " AND ")) ORDER BY recorded_at, referral_id LIMIT ?
            """, arguments: arguments + [page.limit + 1]).map {
            ($0[6], ReferralLine(caseID: CaseID($0[0] as String), referralID: $0[1], partnerID: $0[2], partnerName: $0[3],
                                 service: ($0[4] as String?).flatMap(AssistanceCategory.init(rawValue:)), status: ReferralStatus(rawValue: $0[5]) ?? .sent,
                                 sentAt: Date(timeIntervalSince1970: $0[6])))
        }
    }

    /// The expected booking's id, arrival, airport and flight, from column `index` on; nil
    /// when the case expects none.
    private static func expectedArrival(_ row: Row, from index: Int) -> ExpectedArrival? {
        guard let booking = row[index] as String?, let arrivalAt = row[index + 1] as Double?, let airport = row[index + 2] as String?,
              let flight = row[index + 3] as String? else { return nil }
        return ExpectedArrival(bookingID: BookingID(booking), arrivalAt: Date(timeIntervalSince1970: arrivalAt), arrivalAirport: airport, flightNumber: flight)
    }

    /// A sealed text column as read: nil once erased (`''`).
    private static func present(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}
