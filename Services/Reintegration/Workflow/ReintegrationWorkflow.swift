import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore
import HTTPTypes

/// What reintegration does, each operation in one write transaction. Amounts are integer
/// minor units in the budget's currency; the ledger only grows.
struct ReintegrationWorkflow: Sendable {
    let survey: SustainabilitySurvey
    let clock: @Sendable () -> Date

    static let handledEvents: [any EventPayload.Type] = ServiceName.reintegration.consumes

    // MARK: Reacting to intake and travel

    /// Intake's and travel's topics are not ordered against each other: the case row is
    /// created by whichever event comes first, and the case opens once it has arrived and
    /// its budget is known, unless it was withdrawn or revoked before.
    func apply(_ event: ReceivedEvent, in db: Database) throws {
        let id = event.caseID.rawValue
        let now = event.time.timeIntervalSince1970
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO reint_case (case_id, status, updated_at) VALUES (?, 'pending', ?)").execute(arguments: [id, now])
        switch event.payload {
        case let e as CaseRegistered:
            try db.cachedStatement(sql: "UPDATE reint_case SET return_country = COALESCE(return_country, ?) WHERE case_id = ?").execute(arguments: [e.returnCountry, id])
        case let e as EligibilityDecided:
            // The budget is fixed once the case opens; a later decision does not change it.
            try db.execute(sql: "UPDATE reint_case SET eligible = ?, budget_minor = ?, currency = ?, updated_at = ? WHERE case_id = ? AND status = 'pending'",
                           arguments: [e.eligible, e.assistance?.budget.amountMinor, e.assistance?.budget.currency, now, id])
        case let e as ConsentChanged where e.purpose == .sharingWithReintegrationPartner:
            try db.cachedStatement(sql: "UPDATE reint_case SET partner_consent = ? WHERE case_id = ?").execute(arguments: [e.granted, id])
        case is ConsentChanged:
            break
        case is CaseWithdrawn, is EligibilityRevoked:
            // Before opening: it never opens. After: no further assistance is given.
            try db.execute(sql: "UPDATE reint_case SET cancelled = 1, status = CASE status WHEN 'open' THEN 'revoked' ELSE status END, updated_at = ? WHERE case_id = ?",
                           arguments: [now, id])
        case let e as Arrived:
            try db.execute(sql: "UPDATE reint_case SET arrived_at = ?, return_country = ?, updated_at = ? WHERE case_id = ?",
                           arguments: [e.arrivedAt.timeIntervalSince1970, e.returnCountry, now, id])
        case is PersonalDataErased:
            try Self.erase(event.caseID, at: event.time, in: db)
            try IdempotentAnswer.forget(caseID: event.caseID.rawValue, in: db)
            return
        default:
            throw EventRejected("reintegration has no reaction to \(event.type)")
        }
        try openIfReady(event, in: db)
    }

    /// Erases the case's personal data: assessment summaries, item descriptions, what was
    /// delivered, and survey answers. Kept: the case's figures (budget, amounts, dates,
    /// scores, outcome), the plan's dimensions, categories and partners, and the ledger.
    static func erase(_ caseID: CaseID, at now: Date, in db: Database) throws {
        for table in ["reint_assessment SET summary = ''", "reint_item SET description = ''", "reint_disbursement SET delivered = ''",
                      "reint_visit SET answers = ''"] {
            try db.execute(sql: "UPDATE \(table) WHERE case_id = ?", arguments: [caseID.rawValue])
        }
        try db.cachedStatement(sql: "UPDATE reint_case SET updated_at = ? WHERE case_id = ?").execute(arguments: [now.timeIntervalSince1970, caseID.rawValue])
    }

    private func openIfReady(_ event: ReceivedEvent, in db: Database) throws {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT status, eligible, budget_minor, currency, cancelled, arrived_at FROM reint_case WHERE case_id = ?"),
                                         arguments: [event.caseID.rawValue]),
              (row[0] as String) == "pending", (row[1] as Bool?) == true, let budget = row[2] as Int64?, budget > 0, let currency = row[3] as String?,
              (row[4] as Bool) == false, (row[5] as Double?) != nil else { return }
        // Intake's and travel's topics are not ordered against each other: when intake's
        // decision arrives after the arrival, the case still opens no earlier than the arrival.
        let openedAt = max(event.time, Date(timeIntervalSince1970: row[5] as Double))
        try db.execute(sql: "UPDATE reint_case SET status = 'open', opened_at = ? WHERE case_id = ?",
                       arguments: [openedAt.timeIntervalSince1970, event.caseID.rawValue])
        try Outbox.append(event.causing(ReintegrationOpened(budget: Money(amountMinor: budget, currency: currency)), time: openedAt), in: db)
    }

    // MARK: Officers' actions

    func recordAssessment(_ caseID: CaseID, _ input: AssessmentInput, in db: Database) throws {
        let now = clock()
        _ = try openCase(caseID, in: db)
        try required(input.summary, "/summary")
        try required(input.recordedBy, "/recordedBy")
        try db.execute(sql: "INSERT OR REPLACE INTO reint_assessment (case_id, kind, summary, recorded_by, recorded_at) VALUES (?, ?, hw_seal(?, 'reint_assessment.summary'), ?, ?)",
                       arguments: [caseID.rawValue, input.kind.rawValue, input.summary, input.recordedBy, now.timeIntervalSince1970])
    }

    /// A plan needs all four assessments, a partner and a positive amount per item, and
    /// must fit the budget. Submitting again replaces a plan not yet approved; with
    /// `ifMatch` (the `If-Match` header), only the version the caller read, so that two
    /// officers cannot overwrite each other unknowingly.
    func submitPlan(_ caseID: CaseID, _ input: PlanInput, ifMatch: String? = nil, in db: Database) throws {
        let now = clock()
        let c = try openCase(caseID, in: db)
        try required(input.recordedBy, "/recordedBy")
        let current = try Row.fetchOne(db.cachedStatement(sql: "SELECT status, version FROM reint_plan WHERE case_id = ?"), arguments: [caseID.rawValue])
        if let ifMatch {
            let wanted = ifMatch.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let current, wanted.contains("*") || wanted.contains(Self.etag(version: current[1])) else {
                throw problem(.preconditionFailed, "plan-changed", nil, current.map { row in
                    "the plan is now \(Self.etag(version: row[1])); read it again before replacing it" } ?? "there is no plan to replace")
            }
        }
        if (current?[0] as String?) == "approved" {
            throw problem(.conflict, "plan-approved", nil, "the plan is approved; it is no longer edited")
        }
        let done = Set(try String.fetchAll(db.cachedStatement(sql: "SELECT kind FROM reint_assessment WHERE case_id = ?"), arguments: [caseID.rawValue]))
        let missing = AssessmentKind.allCases.map(\.rawValue).filter { !done.contains($0) }
        guard missing.isEmpty else {
            throw problem(.conflict, "assessments-missing", nil, "a plan needs the needs, vulnerability, family and skills assessments; missing: \(missing.joined(separator: ", "))")
        }
        guard !input.items.isEmpty else { throw problem(.unprocessableContent, "no-items", "/items", "a plan has at least one item") }
        var total: Int64 = 0
        for (i, item) in input.items.enumerated() {
            guard !item.partner.isBlank else {
                throw problem(.unprocessableContent, "item-without-partner", "/items/\(i)/partner", "every item is delivered by a partner")
            }
            try required(item.description, "/items/\(i)/description")
            guard item.plannedAmount.currency == c.currency else {
                throw problem(.unprocessableContent, "currency-mismatch", "/items/\(i)/plannedAmount/currency", "the budget is in \(c.currency)")
            }
            guard item.plannedAmount.amountMinor > 0 else {
                throw problem(.unprocessableContent, "amount-not-positive", "/items/\(i)/plannedAmount/amountMinor", "a planned amount is positive")
            }
            total += item.plannedAmount.amountMinor
        }
        guard total <= c.budget else {
            throw problem(.unprocessableContent, "over-budget", "/items", "the plan totals \(total) minor units; the budget is \(c.budget)")
        }
        try db.cachedStatement(sql: "DELETE FROM reint_item WHERE case_id = ?").execute(arguments: [caseID.rawValue])
        for (i, item) in input.items.enumerated() {
            try db.cachedStatement(sql: """
                INSERT INTO reint_item (item_id, case_id, position, dimension, category, partner, description, planned_minor)
                VALUES (?, ?, ?, ?, ?, ?, hw_seal(?, 'reint_item.description'), ?)
                """).execute(arguments: ["\(caseID.rawValue)-I\(i + 1)", caseID.rawValue, i, item.dimension.rawValue, item.category.rawValue, item.partner,
                                 item.description, item.plannedAmount.amountMinor])
        }
        try db.execute(sql: "INSERT OR REPLACE INTO reint_plan (case_id, status, author, submitted_at, version) VALUES (?, 'awaiting-approval', ?, ?, ?)",
                       arguments: [caseID.rawValue, input.recordedBy, now.timeIntervalSince1970, ((current?[1] as Int64?) ?? 0) + 1])
    }

    /// A plan version's entity tag, quoted as HTTP writes it.
    static func etag(version: Int64) -> String { "\"plan-v\(version)\"" }

    /// Four eyes: the approver (the caller's token subject) is not the author (the subject
    /// who submitted the plan), whatever roles either holds.
    func approvePlan(_ caseID: CaseID, _ input: ApprovalInput, in db: Database) throws {
        let now = clock()
        let c = try openCase(caseID, in: db)
        try required(input.approvedBy, "/approvedBy")
        guard let plan = try Row.fetchOne(db.cachedStatement(sql: "SELECT status, author FROM reint_plan WHERE case_id = ?"), arguments: [caseID.rawValue]),
              (plan[0] as String) == "awaiting-approval" else {
            throw problem(.conflict, "no-plan-awaiting-approval", nil, "no plan awaits approval")
        }
        guard (plan[1] as String) != input.approvedBy else {
            throw problem(.conflict, "four-eyes", nil, "the plan's author cannot approve it; another person must")
        }
        try db.execute(sql: "UPDATE reint_plan SET status = 'approved', approved_by = ?, approved_at = ? WHERE case_id = ?",
                       arguments: [input.approvedBy, now.timeIntervalSince1970, caseID.rawValue])
        let items = try Row.fetchAll(db.cachedStatement(sql: "SELECT item_id, dimension, category, planned_minor FROM reint_item WHERE case_id = ? ORDER BY position"),
                                     arguments: [caseID.rawValue]).map {
            PlanApproved.Item(itemID: PlanItemID($0[0] as String), dimension: ReintegrationDimension(rawValue: $0[1])!,
                              category: AssistanceCategory(rawValue: $0[2])!, plannedAmount: Money(amountMinor: $0[3], currency: c.currency))
        }
        var events = ActionEvents(caseID: caseID, db: db, now: now)
        try events.publish(PlanApproved(items: items))
    }

    /// Referral to a partner needs the person's consent to share with the partner.
    func refer(_ caseID: CaseID, _ input: ReferralInput, in db: Database) throws {
        let now = clock()
        let c = try openCase(caseID, in: db)
        try required(input.partner, "/partner")
        try required(input.recordedBy, "/recordedBy")
        guard c.partnerConsent else {
            throw problem(.conflict, "consent-missing", nil, "the person has not consented to sharing with the reintegration partner; intake records consent")
        }
        try db.execute(sql: "INSERT INTO reint_referral (case_id, partner, recorded_by, recorded_at) VALUES (?, ?, ?, ?)",
                       arguments: [caseID.rawValue, input.partner, input.recordedBy, now.timeIntervalSince1970])
    }

    func disburse(_ caseID: CaseID, _ input: DisbursementInput, in db: Database) throws -> DisbursementID {
        let now = clock()
        let c = try openCase(caseID, in: db)
        try required(input.recordedBy, "/recordedBy")
        try required(input.delivered, "/delivered")
        try required(input.partner, "/partner")
        guard try String.fetchOne(db.cachedStatement(sql: "SELECT status FROM reint_plan WHERE case_id = ?"), arguments: [caseID.rawValue]) == "approved",
              let planned = try Int64.fetchOne(db.cachedStatement(sql: "SELECT planned_minor FROM reint_item WHERE item_id = ? AND case_id = ?"),
                                               arguments: [input.itemID.rawValue, caseID.rawValue]) else {
            throw problem(.unprocessableContent, "item-not-approved", "/itemID", "disbursements go against items of an approved plan")
        }
        guard input.value.currency == c.currency else { throw problem(.unprocessableContent, "currency-mismatch", "/value/currency", "the budget is in \(c.currency)") }
        guard input.value.amountMinor > 0 else { throw problem(.unprocessableContent, "amount-not-positive", "/value/amountMinor", "a delivery has a positive value") }
        guard input.deliveredAt <= now else { throw problem(.unprocessableContent, "delivery-in-future", "/deliveredAt", "the delivery date is in the future") }
        guard input.deliveredAt >= c.arrivedAt else { throw problem(.unprocessableContent, "delivery-before-arrival", "/deliveredAt", "assistance is delivered after arrival") }
        let itemSum = try Int64.fetchOne(db.cachedStatement(sql: "SELECT COALESCE(SUM(value_minor), 0) FROM reint_disbursement WHERE item_id = ?"), arguments: [input.itemID.rawValue]) ?? 0
        guard itemSum + input.value.amountMinor <= planned else {
            throw problem(.unprocessableContent, "over-item", "/value/amountMinor",
                          "the item has \(planned - itemSum) minor units left of \(planned); this delivery is \(input.value.amountMinor)")
        }
        // No budget check here: an approved plan fits the budget and is never edited, so the
        // items' limits keep the case within it.
        let id = DisbursementID("\(caseID.rawValue)-D\(UUID().uuidString.prefix(8).lowercased())")
        try db.cachedStatement(sql: """
            INSERT INTO reint_disbursement (disbursement_id, case_id, item_id, delivered, partner, delivered_at, value_minor, recorded_by, recorded_at)
            VALUES (?, ?, ?, hw_seal(?, 'reint_disbursement.delivered'), ?, ?, ?, ?, ?)
            """).execute(arguments: [id.rawValue, caseID.rawValue, input.itemID.rawValue, input.delivered, input.partner, input.deliveredAt.timeIntervalSince1970,
                             input.value.amountMinor, input.recordedBy, now.timeIntervalSince1970])
        let category = try String.fetchOne(db.cachedStatement(sql: "SELECT category FROM reint_item WHERE item_id = ?"), arguments: [input.itemID.rawValue])!
        var events = ActionEvents(caseID: caseID, db: db, now: now)
        try events.publish(AssistanceDisbursed(disbursementID: id, itemID: input.itemID, category: AssistanceCategory(rawValue: category)!,
                                               value: input.value, deliveredAt: input.deliveredAt, reverses: nil))
        return id
    }

    /// A correction: a reversing entry of the same value, negative, once per entry.
    func reverse(_ caseID: CaseID, _ original: DisbursementID, recordedBy: String, in db: Database) throws -> DisbursementID {
        let now = clock()
        let c = try openCase(caseID, in: db)
        try required(recordedBy, "/recordedBy")
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT item_id, value_minor, reverses, delivered_at FROM reint_disbursement WHERE disbursement_id = ? AND case_id = ?"),
                                         arguments: [original.rawValue, caseID.rawValue]) else {
            throw problem(.notFound, "unknown-disbursement", nil, "no disbursement with this id in the case")
        }
        guard (row[2] as String?) == nil else { throw problem(.conflict, "reversal-of-reversal", nil, "a reversing entry is not reversed; record a new delivery") }
        guard try !(Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM reint_disbursement WHERE reverses = ?"), arguments: [original.rawValue]) ?? false) else {
            throw problem(.conflict, "already-reversed", nil, "this entry is already reversed")
        }
        let item: String = row[0]
        let value: Int64 = row[1]
        let id = DisbursementID("\(caseID.rawValue)-D\(UUID().uuidString.prefix(8).lowercased())")
        try db.cachedStatement(sql: """
            INSERT INTO reint_disbursement (disbursement_id, case_id, item_id, delivered, partner, delivered_at, value_minor, reverses, recorded_by, recorded_at)
            SELECT ?, case_id, item_id, hw_seal('reversal: ' || hw_open(delivered, 'reint_disbursement.delivered'), 'reint_disbursement.delivered'),
                   partner, delivered_at, ?, ?, ?, ? FROM reint_disbursement WHERE disbursement_id = ?
            """).execute(arguments: [id.rawValue, -value, original.rawValue, recordedBy, now.timeIntervalSince1970, original.rawValue])
        let category = try String.fetchOne(db.cachedStatement(sql: "SELECT category FROM reint_item WHERE item_id = ?"), arguments: [item])!
        var events = ActionEvents(caseID: caseID, db: db, now: now)
        try events.publish(AssistanceDisbursed(disbursementID: id, itemID: PlanItemID(item), category: AssistanceCategory(rawValue: category)!,
                                               value: Money(amountMinor: -value, currency: c.currency),
                                               deliveredAt: Date(timeIntervalSince1970: row[3]), reverses: original))
        return id
    }

    func recordVisit(_ caseID: CaseID, _ input: VisitInput, in db: Database) throws {
        let now = clock()
        let c = try openCase(caseID, in: db)
        try required(input.recordedBy, "/recordedBy")
        guard input.visitedAt >= c.arrivedAt else { throw problem(.unprocessableContent, "visit-before-arrival", "/visitedAt", "a monitoring visit is after arrival") }
        guard input.visitedAt <= now else { throw problem(.unprocessableContent, "visit-in-future", "/visitedAt", "the visit date is in the future") }
        let scores: SustainabilityScores
        do {
            scores = try SurveyScoring.score(input.answers, with: survey)
        } catch {
            throw problem(.unprocessableContent, error.rule, error.field, error.detail)
        }
        try db.cachedStatement(sql: """
            INSERT INTO reint_visit (case_id, visited_at, answers, economic, social, psychosocial, composite, recorded_by)
            VALUES (?, ?, hw_seal(?, 'reint_visit.answers'), ?, ?, ?, ?, ?)
            """).execute(arguments: [caseID.rawValue, input.visitedAt.timeIntervalSince1970, String(decoding: try Self.encoder.encode(input.answers), as: UTF8.self),
                             scores.economic, scores.social, scores.psychosocial, scores.composite, input.recordedBy])
        var events = ActionEvents(caseID: caseID, db: db, now: now)
        try events.publish(MonitoringRecorded(visitedAt: input.visitedAt, scores: scores))
    }

    func close(_ caseID: CaseID, _ input: ClosureInput, in db: Database) throws {
        let now = clock()
        let c = try openCase(caseID, in: db)
        try required(input.recordedBy, "/recordedBy")
        try db.execute(sql: "UPDATE reint_case SET status = 'closed', closed_at = ?, outcome = ?, updated_at = ? WHERE case_id = ?",
                       arguments: [now.timeIntervalSince1970, input.outcome.rawValue, now.timeIntervalSince1970, caseID.rawValue])
        var events = ActionEvents(caseID: caseID, db: db, now: now)
        try events.publish(ReintegrationClosed(outcome: input.outcome, totalDisbursed: Money(amountMinor: try disbursed(caseID, in: db), currency: c.currency)))
    }

    // MARK: Helpers

    struct OpenCase {
        var budget: Int64
        var currency: String
        var arrivedAt: Date
        var partnerConsent: Bool
    }

    private func openCase(_ caseID: CaseID, in db: Database) throws -> OpenCase {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT status, budget_minor, currency, arrived_at, partner_consent FROM reint_case WHERE case_id = ?"),
                                         arguments: [caseID.rawValue]) else {
            throw problem(.notFound, "unknown-case", nil, "no reintegration case with this id")
        }
        guard (row[0] as String) == "open" else { throw problem(.conflict, "case-not-open", nil, "the reintegration case is \(row[0] as String)") }
        return OpenCase(budget: row[1], currency: row[2], arrivedAt: Date(timeIntervalSince1970: row[3]), partnerConsent: row[4])
    }

    func disbursed(_ caseID: CaseID, in db: Database) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT COALESCE(SUM(value_minor), 0) FROM reint_disbursement WHERE case_id = ?"), arguments: [caseID.rawValue]) ?? 0
    }

    private func required(_ text: String, _ field: String) throws {
        guard !text.isBlank else { throw problem(.unprocessableContent, "required", field, "a non-empty value is required") }
    }

    private func problem(_ status: HTTPResponse.Status, _ rule: String, _ field: String?, _ detail: String) -> Problem {
        Problem(status: status, rule: rule, field: field, detail: detail)
    }

    static let encoder = EventCoding.encoder()
}
