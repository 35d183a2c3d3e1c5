import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore
import ReintegrationAPI

/// What reintegration officers do to a case, each inside one write transaction: the plan
/// rules decide, the repository writes, then outbox events. Amounts are integer minor
/// units in the budget's currency; the ledger only grows. A refusal
/// (``ReintegrationRefusal``) writes nothing.
struct ReintegrationWorkflow: Sendable {
    let survey: SustainabilitySurvey
    /// The partners cases are referred to, as this replica knows them.
    let partners: PartnerBook
    let clock: @Sendable () -> Date

    // MARK: Reacting to intake and travel

    /// Applies `effect` of intake's or travel's `event` to its case. Their topics are not
    /// ordered against each other: the case is created by whichever event comes first, and
    /// opens once it has arrived and its budget is known, unless it was withdrawn or revoked
    /// before.
    func react(to event: ReceivedEvent, in db: Database, _ effect: () throws -> Void) throws {
        try ReintegrationRepository.addCase(event.caseID, at: event.time, in: db)
        try effect()
        try openIfReady(event, in: db)
    }

    private func openIfReady(_ event: ReceivedEvent, in db: Database) throws {
        guard let c = try ReintegrationRepository.case(event.caseID, in: db), c.status == .pending, c.eligible == true,
              let budget = c.budget, budget > 0, let currency = c.currency, !c.cancelled, let arrivedAt = c.arrivedAt else { return }
        // When intake's decision arrives after the arrival, the case still opens no earlier than the arrival.
        let openedAt = max(event.time, arrivedAt)
        try ReintegrationRepository.open(event.caseID, at: openedAt, in: db)
        try Outbox.append(event.causing(ReintegrationOpened(budget: Money(amountMinor: budget, currency: currency)), time: openedAt), in: db)
    }

    /// Once nothing may go to the partner (no consent to share, no exception in force),
    /// the referrals under way are cancelled.
    func cancelReferralsUnlessShared(_ event: ReceivedEvent, in db: Database) throws {
        guard try SharingGate.basisInForce(for: .referral, of: event.caseID, at: event.time, in: db) == nil else { return }
        try ReintegrationRepository.cancelReferrals(of: event.caseID, at: event.time, in: db)
    }

    // MARK: Reacting to travel's bookings

    /// A confirmed booking: the case expects the family on its arrival, so that the partner
    /// prepares reception; a rebooking's confirmation moves the expectation to the new booking.
    /// Out of date, it changes nothing: the booking was cancelled before, or the case was
    /// withdrawn, revoked or has arrived.
    func expect(_ confirmed: BookingConfirmed, of event: ReceivedEvent, in db: Database) throws {
        guard try !ReintegrationRepository.isCancelled(confirmed.bookingID, in: db) else { return }
        try ReintegrationRepository.saveBooking(confirmed, of: event.caseID, in: db)
        guard let c = try ReintegrationRepository.case(event.caseID, in: db), c.status == .pending || c.status == .expected,
              !c.cancelled, c.arrivedAt == nil else { return }
        try ReintegrationRepository.expect(confirmed.bookingID, of: event.caseID, at: event.time, in: db)
    }

    /// A booking that will not fly as booked: cancelled, or put on hold (travel then rebooks
    /// or cancels it). When the case expected it, it is `pending` again, whatever the reason;
    /// a rebooking's new confirmation follows on the same partition and expects anew, and a
    /// later confirmation of this booking changes nothing.
    func dropBooking(_ booking: BookingID, of event: ReceivedEvent, in db: Database) throws {
        try ReintegrationRepository.cancelBooking(booking, of: event.caseID, in: db)
        try ReintegrationRepository.stopExpecting(booking, of: event.caseID, at: event.time, in: db)
    }

    // MARK: Officers' actions

    /// What the partner provides on arrival, recorded before it (an expected case) or after
    /// (an open one), replacing what was recorded; kept when the case opens. Each need once,
    /// in the set's order; a blank note is none.
    func recordReception(_ caseID: CaseID, _ input: ReceptionInput, in db: Database) throws {
        let now = clock()
        guard let c = try ReintegrationRepository.case(caseID, in: db) else { throw ReintegrationRefusal.unknownCase }
        guard c.status == .expected || c.status == .open else { throw ReintegrationRefusal.caseNotExpected(c.status) }
        try BlankField.check(input.recordedBy, at: "/recordedBy")
        try ReintegrationRepository.saveReception(needs: ReceptionNeed.allCases.filter { input.needs.contains($0) }, note: nonBlank(input.note),
                                                  recordedBy: input.recordedBy, of: caseID, at: now, in: db)
    }

    /// What goes to the partner for the case: the partner's dataset of it (the arrival to
    /// meet, the reception, the referrals; ``Recipient/dataset``), only with consent to
    /// share with the partner or an exception in force.
    func handover(_ caseID: CaseID, in db: Database) throws -> Data {
        guard let view = try ReintegrationRepository.view(caseID, in: db) else { throw ReintegrationRefusal.unknownCase }
        _ = try SharingGate.basis(for: .receptionHandover, of: caseID, at: clock(), in: db)
        return try Dataset.encode(view, for: .reintegrationPartner)
    }

    func recordAssessment(_ caseID: CaseID, _ input: AssessmentInput, in db: Database) throws {
        let now = clock()
        _ = try openCase(caseID, in: db)
        try BlankField.check(input.summary, at: "/summary")
        try BlankField.check(input.recordedBy, at: "/recordedBy")
        try ReintegrationRepository.saveAssessment(input, of: caseID, at: now, in: db)
    }

    /// A plan needs all four assessments, a partner and a positive amount per item, and
    /// must fit the budget; naming partners, it needs consent to share with them. Submitting again replaces a plan not yet approved; with
    /// `ifMatch` (the `If-Match` header), only the version the caller read.
    func submitPlan(_ caseID: CaseID, _ input: PlanInput, ifMatch: String? = nil, in db: Database) throws {
        let now = clock()
        let c = try openCase(caseID, in: db)
        try BlankField.check(input.recordedBy, at: "/recordedBy")
        let current = try ReintegrationRepository.plan(of: caseID, in: db)
        try PlanRules.check(ifMatch: ifMatch, version: current?.version)
        if current?.status == .approved { throw ReintegrationRefusal.planApproved }
        let missing = PlanRules.missingAssessments(done: try ReintegrationRepository.assessments(of: caseID, in: db))
        guard missing.isEmpty else { throw ReintegrationRefusal.assessmentsMissing(missing) }
        try PlanRules.check(input.items, budget: c.budget, currency: c.currency)
        _ = try SharingGate.basis(for: .planItems, of: caseID, at: now, in: db)
        try ReintegrationRepository.savePlan(input, of: caseID, version: (current?.version ?? 0) + 1, at: now, in: db)
    }

    /// Four eyes: the approver (the caller's token subject) is not the author (the subject
    /// who submitted the plan), whatever roles either holds.
    func approvePlan(_ caseID: CaseID, _ input: ApprovalInput, in db: Database) throws {
        let now = clock()
        let c = try openCase(caseID, in: db)
        try BlankField.check(input.approvedBy, at: "/approvedBy")
        guard let plan = try ReintegrationRepository.plan(of: caseID, in: db), plan.status == .awaitingApproval else {
            throw ReintegrationRefusal.noPlanAwaitingApproval
        }
        guard plan.author != input.approvedBy else { throw ReintegrationRefusal.fourEyes }
        try ReintegrationRepository.approvePlan(of: caseID, by: input.approvedBy, at: now, in: db)
        let items = try ReintegrationRepository.items(of: caseID, currency: c.currency, in: db)
        var events = ActionEvents(caseID: caseID, db: db, now: now)
        try events.publish(PlanApproved(items: items))
    }

    /// Referral to an active partner of the directory, in the case's country of return, for
    /// a service it offers; it needs the person's consent to share with the partner, or an
    /// exception in force (``SharingGate``). It starts `sent`; a blank note is none.
    func refer(_ caseID: CaseID, _ input: ReferralInput, in db: Database) throws {
        let now = clock()
        let c = try openCase(caseID, in: db)
        try BlankField.check(input.recordedBy, at: "/recordedBy")
        let partner = try ReferralRules.check(partner: partners.partner(input.partnerID), service: input.service,
                                              returnCountry: c.returnCountry)
        _ = try SharingGate.basis(for: .referral, of: caseID, at: now, in: db)
        try ReintegrationRepository.addReferral("\(caseID.rawValue)-R\(UUID().uuidString.prefix(8).lowercased())", input, partnerName: partner.name,
                                                note: nonBlank(input.note), of: caseID, at: now, in: db)
    }

    /// The referral's next step (``ReferralRules``), dated now and recorded by the caller;
    /// on a case in any status, so that a referral sent before closure still ends.
    func recordReferralStep(_ caseID: CaseID, _ referralID: String, _ input: ReferralStepInput, in db: Database) throws {
        let now = clock()
        guard try ReintegrationRepository.case(caseID, in: db) != nil else { throw ReintegrationRefusal.unknownCase }
        try BlankField.check(input.recordedBy, at: "/recordedBy")
        guard let current = try ReintegrationRepository.referralStatus(referralID, of: caseID, in: db) else { throw ReintegrationRefusal.unknownReferral }
        try ReferralRules.check(step: input.status, after: current, reason: input.reason)
        try ReintegrationRepository.addReferralStep(input.status, reason: nonBlank(input.reason), of: referralID, caseID: caseID, by: input.recordedBy,
                                                    at: now, in: db)
    }

    func disburse(_ caseID: CaseID, _ input: DisbursementInput, in db: Database) throws -> DisbursementID {
        let now = clock()
        let c = try openCase(caseID, in: db)
        try BlankField.check(input.recordedBy, at: "/recordedBy")
        try BlankField.check(input.delivered, at: "/delivered")
        try BlankField.check(input.partner, at: "/partner")
        guard try ReintegrationRepository.plan(of: caseID, in: db)?.status == .approved,
              let planned = try ReintegrationRepository.plannedAmount(of: input.itemID, in: caseID, in: db) else {
            throw ReintegrationRefusal.itemNotApproved
        }
        try PlanRules.checkDelivery(input.value, deliveredAt: input.deliveredAt, currency: c.currency, arrivedAt: c.arrivedAt, now: now)
        try PlanRules.checkItemLimit(planned: planned, disbursed: try ReintegrationRepository.disbursed(item: input.itemID, in: db), value: input.value.amountMinor)
        _ = try SharingGate.basis(for: .disbursement, of: caseID, at: now, in: db)
        let id = newDisbursementID(caseID)
        try ReintegrationRepository.addDisbursement(id, input, of: caseID, at: now, in: db)
        var events = ActionEvents(caseID: caseID, db: db, now: now)
        try events.publish(AssistanceDisbursed(disbursementID: id, itemID: input.itemID, category: try ReintegrationRepository.category(of: input.itemID, in: db),
                                               value: input.value, deliveredAt: input.deliveredAt, reverses: nil))
        return id
    }

    /// A correction: a reversing entry of the same value, negative, once per entry.
    func reverse(_ caseID: CaseID, _ original: DisbursementID, recordedBy: String, in db: Database) throws -> DisbursementID {
        let now = clock()
        let c = try openCase(caseID, in: db)
        try BlankField.check(recordedBy, at: "/recordedBy")
        guard let entry = try ReintegrationRepository.entry(original, of: caseID, in: db) else { throw ReintegrationRefusal.unknownDisbursement }
        guard entry.reverses == nil else { throw ReintegrationRefusal.reversalOfReversal }
        guard try !ReintegrationRepository.isReversed(original, in: db) else { throw ReintegrationRefusal.alreadyReversed }
        let id = newDisbursementID(caseID)
        try ReintegrationRepository.addReversal(id, of: original, entry, recordedBy: recordedBy, at: now, in: db)
        var events = ActionEvents(caseID: caseID, db: db, now: now)
        try events.publish(AssistanceDisbursed(disbursementID: id, itemID: entry.itemID, category: try ReintegrationRepository.category(of: entry.itemID, in: db),
                                               value: Money(amountMinor: -entry.valueMinor, currency: c.currency),
                                               deliveredAt: entry.deliveredAt, reverses: original))
        return id
    }

    func recordVisit(_ caseID: CaseID, _ input: VisitInput, in db: Database) throws {
        let now = clock()
        let c = try openCase(caseID, in: db)
        try BlankField.check(input.recordedBy, at: "/recordedBy")
        guard input.visitedAt >= c.arrivedAt else { throw ReintegrationRefusal.visitBeforeArrival }
        guard input.visitedAt <= now else { throw ReintegrationRefusal.visitInFuture }
        let scores: SustainabilityScores
        do {
            scores = try SurveyScoring.score(input.answers, with: survey)
        } catch {
            throw ReintegrationRefusal.unscorableAnswers(error)
        }
        try ReintegrationRepository.addVisit(input, scores: scores, of: caseID, in: db)
        var events = ActionEvents(caseID: caseID, db: db, now: now)
        try events.publish(MonitoringRecorded(visitedAt: input.visitedAt, scores: scores))
    }

    func close(_ caseID: CaseID, _ input: ClosureInput, in db: Database) throws {
        let now = clock()
        let c = try openCase(caseID, in: db)
        try BlankField.check(input.recordedBy, at: "/recordedBy")
        try ReintegrationRepository.close(caseID, outcome: input.outcome, at: now, in: db)
        var events = ActionEvents(caseID: caseID, db: db, now: now)
        try events.publish(ReintegrationClosed(outcome: input.outcome,
                                               totalDisbursed: Money(amountMinor: try ReintegrationRepository.disbursed(caseID, in: db), currency: c.currency)))
    }

    // MARK: Rules of every action

    /// An open case's terms: known once it opened.
    private struct OpenCase {
        var budget: Int64
        var currency: String
        var arrivedAt: Date
        var returnCountry: String?
    }

    private func openCase(_ caseID: CaseID, in db: Database) throws -> OpenCase {
        guard let c = try ReintegrationRepository.case(caseID, in: db) else { throw ReintegrationRefusal.unknownCase }
        guard c.status == .open, let budget = c.budget, let currency = c.currency, let arrivedAt = c.arrivedAt else {
            throw ReintegrationRefusal.caseNotOpen(c.status)
        }
        return OpenCase(budget: budget, currency: currency, arrivedAt: arrivedAt, returnCountry: c.returnCountry)
    }

    /// Free text as kept: none when blank.
    private func nonBlank(_ text: String?) -> String? { text.flatMap { $0.isBlank ? nil : $0 } }

    /// A new ledger entry's id, within its case.
    private func newDisbursementID(_ caseID: CaseID) -> DisbursementID {
        DisbursementID("\(caseID.rawValue)-D\(UUID().uuidString.prefix(8).lowercased())")
    }
}
