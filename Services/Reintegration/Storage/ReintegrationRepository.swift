import Foundation
import GRDB
import HomewardModel
import HomewardStore
import ReintegrationAPI

/// Reads and writes reintegration's tables inside the caller's transaction; the only place
/// that knows them. Statements every case passes through are prepared once per connection.
/// The ledger (`reint_disbursement`) only grows.
enum ReintegrationRepository {
    /// A case as the rules read it; budget, currency and arrival are known once it is open.
    struct Case {
        var status: ReintegrationCaseStatus
        var eligible: Bool?
        var budget: Int64?
        var currency: String?
        var cancelled: Bool
        var arrivedAt: Date?
        /// Once registered or arrived.
        var returnCountry: String?
    }

    struct Plan {
        var status: PlanStatus
        var author: String
        var version: Int64
    }

    /// A ledger entry as a reversal reads it.
    struct Entry {
        var itemID: PlanItemID
        var valueMinor: Int64
        var reverses: DisbursementID?
        var deliveredAt: Date
    }

    // MARK: Cases

    /// Creates the case `pending` unless the store knows it: by whichever of intake's and
    /// travel's events comes first.
    static func addCase(_ caseID: CaseID, at now: Date, in db: Database) throws {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO reint_case (case_id, status, updated_at) VALUES (?, ?, ?)")
            .execute(arguments: [caseID.rawValue, ReintegrationCaseStatus.pending.rawValue, now.timeIntervalSince1970])
    }

    static func `case`(_ caseID: CaseID, in db: Database) throws -> Case? {
        try Row.fetchOne(db.cachedStatement(sql: """
            SELECT status, eligible, budget_minor, currency, cancelled, arrived_at, return_country FROM reint_case WHERE case_id = ?
            """), arguments: [caseID.rawValue])
            .map { Case(status: ReintegrationCaseStatus(rawValue: $0[0]) ?? .closed, eligible: $0[1], budget: $0[2], currency: $0[3], cancelled: $0[4],
                        arrivedAt: ($0[5] as Double?).map(Date.init(timeIntervalSince1970:)), returnCountry: $0[6]) }
    }

    /// The country registered, unless the arrival named it first.
    static func setRegisteredCountry(_ country: String, of caseID: CaseID, in db: Database) throws {
        try db.cachedStatement(sql: "UPDATE reint_case SET return_country = COALESCE(return_country, ?) WHERE case_id = ?")
            .execute(arguments: [country, caseID.rawValue])
    }

    /// The eligibility decision and its budget, while the case is pending or expected: the
    /// budget is fixed once the case opens.
    static func setDecision(_ decision: EligibilityDecided, of caseID: CaseID, at now: Date, in db: Database) throws {
        try db.cachedStatement(sql: "UPDATE reint_case SET eligible = ?, budget_minor = ?, currency = ?, updated_at = ? WHERE case_id = ? AND status IN (?, ?)")
            .execute(arguments: [decision.eligible, decision.assistance?.budget.amountMinor, decision.assistance?.budget.currency, now.timeIntervalSince1970,
                                 caseID.rawValue, ReintegrationCaseStatus.pending.rawValue, ReintegrationCaseStatus.expected.rawValue])
    }

    /// Before opening, the case never opens and expects no arrival (`pending`); after, it is
    /// `revoked`: no further assistance, and its referrals are cancelled.
    static func cancel(_ caseID: CaseID, at now: Date, in db: Database) throws {
        try cancelReferrals(of: caseID, at: now, in: db)
        try db.cachedStatement(sql: """
            UPDATE reint_case SET cancelled = 1, expected_booking = NULL, status = CASE status WHEN ? THEN ? WHEN ? THEN ? ELSE status END, updated_at = ?
            WHERE case_id = ?
            """)
            .execute(arguments: [ReintegrationCaseStatus.open.rawValue, ReintegrationCaseStatus.revoked.rawValue, ReintegrationCaseStatus.expected.rawValue,
                                 ReintegrationCaseStatus.pending.rawValue, now.timeIntervalSince1970, caseID.rawValue])
    }

    /// The family arrived, as travel recorded it: no longer expected; `pending` until it opens.
    static func setArrival(_ arrived: Arrived, of caseID: CaseID, at now: Date, in db: Database) throws {
        try arrive(caseID, at: arrived.arrivedAt, country: arrived.returnCountry, lateEntry: nil, now: now, in: db)
    }

    /// A late entry: the family arrived on the day of return (its start, UTC), without a
    /// booking; the country stays the registered one.
    static func setLateEntry(_ ready: LateEntryReady, of caseID: CaseID, at now: Date, in db: Database) throws {
        try arrive(caseID, at: ready.returnedOn.start(in: .gmt), country: nil, lateEntry: ready.reason, now: now, in: db)
    }

    private static func arrive(_ caseID: CaseID, at arrivedAt: Date, country: String?, lateEntry: LateEntryReason?, now: Date, in db: Database) throws {
        try db.cachedStatement(sql: """
            UPDATE reint_case SET arrived_at = ?, return_country = COALESCE(?, return_country), late_entry = ?, expected_booking = NULL,
                status = CASE status WHEN ? THEN ? ELSE status END, updated_at = ?
            WHERE case_id = ?
            """)
            .execute(arguments: [arrivedAt.timeIntervalSince1970, country, lateEntry?.rawValue, ReintegrationCaseStatus.expected.rawValue,
                                 ReintegrationCaseStatus.pending.rawValue, now.timeIntervalSince1970, caseID.rawValue])
    }

    static func open(_ caseID: CaseID, at openedAt: Date, in db: Database) throws {
        try db.cachedStatement(sql: "UPDATE reint_case SET status = ?, opened_at = ? WHERE case_id = ?")
            .execute(arguments: [ReintegrationCaseStatus.open.rawValue, openedAt.timeIntervalSince1970, caseID.rawValue])
    }

    static func close(_ caseID: CaseID, outcome: ReintegrationOutcome, at now: Date, in db: Database) throws {
        try db.cachedStatement(sql: "UPDATE reint_case SET status = ?, closed_at = ?, outcome = ?, updated_at = ? WHERE case_id = ?")
            .execute(arguments: [ReintegrationCaseStatus.closed.rawValue, now.timeIntervalSince1970, outcome.rawValue, now.timeIntervalSince1970, caseID.rawValue])
    }

    /// Erases the case's personal data: assessment summaries, item descriptions, what was
    /// delivered, survey answers, the reception note and referral steps' reasons. Kept: the
    /// case's figures (budget, amounts, dates, scores, outcome), the plan's dimensions,
    /// categories and partners, the ledger, the bookings, the reception needs and the
    /// referrals' partners, services and steps.
    static func erase(_ caseID: CaseID, at now: Date, in db: Database) throws {
        for table in ["reint_assessment SET summary = ''", "reint_item SET description = ''", "reint_disbursement SET delivered = ''",
                      "reint_visit SET answers = ''", "reint_reception SET note = ''", "reint_referral_step SET reason = ''"] {
            try db.execute(sql: "UPDATE \(table) WHERE case_id = ?", arguments: [caseID.rawValue])
        }
        try db.cachedStatement(sql: "UPDATE reint_case SET updated_at = ? WHERE case_id = ?")
            .execute(arguments: [now.timeIntervalSince1970, caseID.rawValue])
    }

    // MARK: Bookings expected and reception

    static func isCancelled(_ booking: BookingID, in db: Database) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT cancelled FROM reint_booking WHERE booking_id = ?"), arguments: [booking.rawValue]) ?? false
    }

    /// A confirmed booking's arrival; a confirmation again (the same booking) replaces it.
    static func saveBooking(_ confirmed: BookingConfirmed, of caseID: CaseID, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO reint_booking (booking_id, case_id, arrival_at, arrival_airport, arrival_flight, cancelled) VALUES (?, ?, ?, ?, ?, 0)
            """)
            .execute(arguments: [confirmed.bookingID.rawValue, caseID.rawValue, confirmed.arrivalAt.timeIntervalSince1970, confirmed.arrivalAirport,
                                 confirmed.arrivalFlightNumber])
    }

    /// Remembers the booking cancelled, also one never confirmed here, so that a confirmation
    /// of it arriving late changes nothing.
    static func cancelBooking(_ booking: BookingID, of caseID: CaseID, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO reint_booking (booking_id, case_id, cancelled) VALUES (?, ?, 1) ON CONFLICT (booking_id) DO UPDATE SET cancelled = 1
            """)
            .execute(arguments: [booking.rawValue, caseID.rawValue])
    }

    static func expect(_ booking: BookingID, of caseID: CaseID, at now: Date, in db: Database) throws {
        try db.cachedStatement(sql: "UPDATE reint_case SET expected_booking = ?, status = ?, updated_at = ? WHERE case_id = ?")
            .execute(arguments: [booking.rawValue, ReintegrationCaseStatus.expected.rawValue, now.timeIntervalSince1970, caseID.rawValue])
    }

    /// The case no longer expects `booking` (when it did): back to `pending`.
    static func stopExpecting(_ booking: BookingID, of caseID: CaseID, at now: Date, in db: Database) throws {
        try db.cachedStatement(sql: "UPDATE reint_case SET expected_booking = NULL, status = ?, updated_at = ? WHERE case_id = ? AND expected_booking = ? AND status = ?")
            .execute(arguments: [ReintegrationCaseStatus.pending.rawValue, now.timeIntervalSince1970, caseID.rawValue, booking.rawValue,
                                 ReintegrationCaseStatus.expected.rawValue])
    }

    /// Replaces the case's reception needs; the note sealed.
    static func saveReception(needs: [ReceptionNeed], note: String?, recordedBy: String, of caseID: CaseID, at now: Date, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO reint_reception (case_id, needs, note, recorded_by, recorded_at) VALUES (?, ?, hw_seal(?, 'reint_reception.note'), ?, ?)
            """)
            .execute(arguments: [caseID.rawValue, needs.map(\.rawValue).joined(separator: ","), note, recordedBy, now.timeIntervalSince1970])
    }

    // MARK: Assessments, plan and referrals

    static func saveAssessment(_ input: AssessmentInput, of caseID: CaseID, at now: Date, in db: Database) throws {
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO reint_assessment (case_id, kind, summary, recorded_by, recorded_at) VALUES (?, ?, hw_seal(?, 'reint_assessment.summary'), ?, ?)")
            .execute(arguments: [caseID.rawValue, input.kind.rawValue, input.summary, input.recordedBy, now.timeIntervalSince1970])
    }

    /// The kinds assessed, in their names' order.
    static func assessments(of caseID: CaseID, in db: Database) throws -> [AssessmentKind] {
        try String.fetchAll(db.cachedStatement(sql: "SELECT kind FROM reint_assessment WHERE case_id = ? ORDER BY kind"), arguments: [caseID.rawValue])
            .compactMap(AssessmentKind.init(rawValue:))
    }

    static func plan(of caseID: CaseID, in db: Database) throws -> Plan? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT status, author, version FROM reint_plan WHERE case_id = ?"), arguments: [caseID.rawValue])
            .map { Plan(status: PlanStatus(rawValue: $0[0]) ?? .awaitingApproval, author: $0[1], version: $0[2]) }
    }

    /// Replaces the plan and its items, awaiting approval, as `version`.
    static func savePlan(_ input: PlanInput, of caseID: CaseID, version: Int64, at now: Date, in db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM reint_item WHERE case_id = ?")
            .execute(arguments: [caseID.rawValue])
        for (i, item) in input.items.enumerated() {
            try db.cachedStatement(sql: """
                INSERT INTO reint_item (item_id, case_id, position, dimension, category, partner, description, planned_minor)
                VALUES (?, ?, ?, ?, ?, ?, hw_seal(?, 'reint_item.description'), ?)
                """)
                .execute(arguments: ["\(caseID.rawValue)-I\(i + 1)", caseID.rawValue, i, item.dimension.rawValue, item.category.rawValue, item.partner,
                                     item.description, item.plannedAmount.amountMinor])
        }
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO reint_plan (case_id, status, author, submitted_at, version) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [caseID.rawValue, PlanStatus.awaitingApproval.rawValue, input.recordedBy, now.timeIntervalSince1970, version])
    }

    static func approvePlan(of caseID: CaseID, by approver: String, at now: Date, in db: Database) throws {
        try db.cachedStatement(sql: "UPDATE reint_plan SET status = ?, approved_by = ?, approved_at = ? WHERE case_id = ?")
            .execute(arguments: [PlanStatus.approved.rawValue, approver, now.timeIntervalSince1970, caseID.rawValue])
    }

    /// The plan's items in order, their amounts in `currency` (the budget's).
    static func items(of caseID: CaseID, currency: String, in db: Database) throws -> [PlanApproved.Item] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT item_id, dimension, category, planned_minor FROM reint_item WHERE case_id = ? ORDER BY position"),
                         arguments: [caseID.rawValue]).map {
            PlanApproved.Item(itemID: PlanItemID($0[0] as String), dimension: ReintegrationDimension(rawValue: $0[1])!,
                              category: AssistanceCategory(rawValue: $0[2])!, plannedAmount: Money(amountMinor: $0[3], currency: currency))
        }
    }

    // MARK: Referrals

    /// A referral sent to `partner` (its name kept as it was then), with its first step.
    static func addReferral(_ id: String, _ input: ReferralInput, partnerName: String, note: String?, of caseID: CaseID, at now: Date, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO reint_referral (referral_id, case_id, partner_id, partner, service, status, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
            .execute(arguments: [id, caseID.rawValue, input.partnerID, partnerName, input.service.rawValue, ReferralStatus.sent.rawValue, input.recordedBy,
                                 now.timeIntervalSince1970])
        try addReferralStep(.sent, reason: note, of: id, caseID: caseID, by: input.recordedBy, at: now, in: db)
    }

    /// Cancels every referral of the case that has not ended, on intake's word (a withdrawal,
    /// a revocation, no consent to sharing nor exception in force): the step is recorded by `intake`.
    static func cancelReferrals(of caseID: CaseID, at now: Date, in db: Database) throws {
        let ended = [ReferralStatus.declined, .completed, .cancelled].map(\.rawValue)
        try db.cachedStatement(sql: """
            INSERT INTO reint_referral_step (referral_id, case_id, status, recorded_by, recorded_at)
            SELECT referral_id, case_id, ?, 'intake', ? FROM reint_referral WHERE case_id = ? AND status NOT IN (?, ?, ?) ORDER BY id
            """)
            .execute(arguments: [ReferralStatus.cancelled.rawValue, now.timeIntervalSince1970, caseID.rawValue] + StatementArguments(ended))
        try db.cachedStatement(sql: "UPDATE reint_referral SET status = ? WHERE case_id = ? AND status NOT IN (?, ?, ?)")
            .execute(arguments: [ReferralStatus.cancelled.rawValue, caseID.rawValue] + StatementArguments(ended))
    }

    /// The referral's status, nil when the case has no such referral.
    static func referralStatus(_ id: String, of caseID: CaseID, in db: Database) throws -> ReferralStatus? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT status FROM reint_referral WHERE referral_id = ? AND case_id = ?"), arguments: [id, caseID.rawValue])
            .flatMap(ReferralStatus.init(rawValue:))
    }

    /// Moves the referral to `status`, recording the step; the reason sealed.
    static func addReferralStep(_ status: ReferralStatus, reason: String?, of id: String, caseID: CaseID, by recordedBy: String, at now: Date,
                                in db: Database) throws {
        try db.cachedStatement(sql: "UPDATE reint_referral SET status = ? WHERE referral_id = ?").execute(arguments: [status.rawValue, id])
        try db.cachedStatement(sql: """
            INSERT INTO reint_referral_step (referral_id, case_id, status, reason, recorded_by, recorded_at)
            VALUES (?, ?, ?, hw_seal(?, 'reint_referral_step.reason'), ?, ?)
            """)
            .execute(arguments: [id, caseID.rawValue, status.rawValue, reason, recordedBy, now.timeIntervalSince1970])
    }

    // MARK: Ledger

    /// The amount planned for the case's item, nil when the case has no such item.
    static func plannedAmount(of item: PlanItemID, in caseID: CaseID, in db: Database) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT planned_minor FROM reint_item WHERE item_id = ? AND case_id = ?"),
                           arguments: [item.rawValue, caseID.rawValue])
    }

    static func category(of item: PlanItemID, in db: Database) throws -> AssistanceCategory {
        AssistanceCategory(rawValue: try String.fetchOne(db.cachedStatement(sql: "SELECT category FROM reint_item WHERE item_id = ?"), arguments: [item.rawValue])!)!
    }

    /// What the item's deliveries add up to, reversals deducted.
    static func disbursed(item: PlanItemID, in db: Database) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT COALESCE(SUM(value_minor), 0) FROM reint_disbursement WHERE item_id = ?"), arguments: [item.rawValue]) ?? 0
    }

    /// What the case's deliveries add up to, reversals deducted.
    static func disbursed(_ caseID: CaseID, in db: Database) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT COALESCE(SUM(value_minor), 0) FROM reint_disbursement WHERE case_id = ?"), arguments: [caseID.rawValue]) ?? 0
    }

    static func addDisbursement(_ id: DisbursementID, _ input: DisbursementInput, of caseID: CaseID, at now: Date, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO reint_disbursement (disbursement_id, case_id, item_id, delivered, partner, delivered_at, value_minor, recorded_by, recorded_at)
            VALUES (?, ?, ?, hw_seal(?, 'reint_disbursement.delivered'), ?, ?, ?, ?, ?)
            """)
            .execute(arguments: [id.rawValue, caseID.rawValue, input.itemID.rawValue, input.delivered, input.partner, input.deliveredAt.timeIntervalSince1970,
                                 input.value.amountMinor, input.recordedBy, now.timeIntervalSince1970])
    }

    static func entry(_ id: DisbursementID, of caseID: CaseID, in db: Database) throws -> Entry? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT item_id, value_minor, reverses, delivered_at FROM reint_disbursement WHERE disbursement_id = ? AND case_id = ?"),
                         arguments: [id.rawValue, caseID.rawValue])
            .map { Entry(itemID: PlanItemID($0[0] as String), valueMinor: $0[1], reverses: ($0[2] as String?).map { DisbursementID($0) },
                         deliveredAt: Date(timeIntervalSince1970: $0[3])) }
    }

    static func isReversed(_ id: DisbursementID, in db: Database) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM reint_disbursement WHERE reverses = ?"), arguments: [id.rawValue]) ?? false
    }

    /// Appends `id`, reversing `entry` (`original`): the same item, partner and delivery date,
    /// the value negated.
    static func addReversal(_ id: DisbursementID, of original: DisbursementID, _ entry: Entry, recordedBy: String, at now: Date, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO reint_disbursement (disbursement_id, case_id, item_id, delivered, partner, delivered_at, value_minor, reverses, recorded_by, recorded_at)
            SELECT ?, case_id, item_id, hw_seal('reversal: ' || hw_open(delivered, 'reint_disbursement.delivered'), 'reint_disbursement.delivered'),
                   partner, delivered_at, ?, ?, ?, ? FROM reint_disbursement WHERE disbursement_id = ?
            """)
            .execute(arguments: [id.rawValue, -entry.valueMinor, original.rawValue, recordedBy, now.timeIntervalSince1970, original.rawValue])
    }

    // MARK: Visits

    static func addVisit(_ input: VisitInput, scores: SustainabilityScores, of caseID: CaseID, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO reint_visit (case_id, visited_at, answers, economic, social, psychosocial, composite, recorded_by)
            VALUES (?, ?, hw_seal(?, 'reint_visit.answers'), ?, ?, ?, ?, ?)
            """)
            .execute(arguments: [caseID.rawValue, input.visitedAt.timeIntervalSince1970, try StoredJSON.text(input.answers),
                                 scores.economic, scores.social, scores.psychosocial, scores.composite, input.recordedBy])
    }
}
