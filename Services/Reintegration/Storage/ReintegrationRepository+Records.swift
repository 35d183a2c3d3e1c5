import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import ReintegrationAPI

/// Officers' reads: one case, and the lists they work from.
extension ReintegrationRepository {
    static func view(_ caseID: CaseID, in db: Database) throws -> ReintegrationCaseView? {
        guard let c = try Row.fetchOne(db.cachedStatement(sql: "SELECT status, return_country, budget_minor, currency, arrived_at, opened_at, outcome FROM reint_case WHERE case_id = ?"),
                                       arguments: [caseID.rawValue]) else { return nil }
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
            arrivedAt: (c[4] as Double?).map(Date.init(timeIntervalSince1970:)), openedAt: (c[5] as Double?).map(Date.init(timeIntervalSince1970:)),
            assessments: try assessments(of: caseID, in: db),
            plan: plan,
            referrals: try String.fetchAll(db.cachedStatement(sql: "SELECT partner FROM reint_referral WHERE case_id = ? ORDER BY id"), arguments: [caseID.rawValue]),
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

    /// `open` (optionally by country), `awaiting-approval`, `budget-nearly-spent` (at least
    /// `nearlySpent` of the budget disbursed) and `visits-due` (no visit for `visitEvery`
    /// since the last one, or since opening): at most `page.limit + 1` lines after its
    /// cursor, oldest opening first, each with its opening time (the list's order).
    static func list(_ name: String, country: String?, now: Date, nearlySpent: Double, visitEvery: TimeInterval,
                     page: PageRequest = PageRequest(limit: 500), in db: Database) throws -> [(openedAt: Double, line: CaseLine)] {
        var conditions = ["c.status = ?"]
        var arguments: StatementArguments = [ReintegrationCaseStatus.open.rawValue]
        if let country { conditions.append("c.return_country = ?"); arguments += [country] }
        if let after = page.after, let openedAt = after.number(0), let caseID = after.text(1) {
            conditions.append("(c.opened_at > ? OR (c.opened_at = ? AND c.case_id > ?))")
            arguments += [openedAt, openedAt, caseID]
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
                   (SELECT MAX(visited_at) FROM reint_visit v WHERE v.case_id = c.case_id), c.opened_at
            FROM reint_case c WHERE \(conditions.joined(separator: " AND ")) ORDER BY c.opened_at, c.case_id LIMIT ?
            """, arguments: arguments + [page.limit + 1]).map { row in
            let currency: String? = row[4]
            return (row[7], CaseLine(caseID: CaseID(row[0] as String), status: row[1], returnCountry: row[2],
                                     budget: (row[3] as Int64?).flatMap { m in currency.map { Money(amountMinor: m, currency: $0) } },
                                     disbursed: currency.map { Money(amountMinor: row[5], currency: $0) },
                                     lastVisitAt: (row[6] as Double?).map(Date.init(timeIntervalSince1970:))))
        }
    }

    /// A sealed text column as read: nil once erased (`''`).
    private static func present(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}
