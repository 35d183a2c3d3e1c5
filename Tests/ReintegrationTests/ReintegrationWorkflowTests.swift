import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore
@testable import Reintegration
import TestSupport
import Testing
import ReintegrationAPI

@Suite("Reintegration workflow")
struct ReintegrationWorkflowTests {
    static let now = Instant.parse("2026-09-01T12:00:00.000Z")!
    static let arrived = Instant.parse("2026-08-01T10:00:00.000Z")!
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let survey = try! SustainabilitySurvey.load(file: repository.appendingPathComponent("Services/Reintegration/Survey/sustainability-survey.json"))

    let store: Store
    static let partners = PartnerBook(seed: try! PartnerDirectory.shipped())

    let workflow = ReintegrationWorkflow(survey: survey, partners: partners, clock: { now })

    init() throws {
        store = try Store(path: try makeWorkDirectory("reint").appendingPathComponent("r.sqlite").path, migrations: ReintegrationSchema.register)
    }

    /// Delivers an event to `target` (the test's store by default).
    func apply(_ payload: any EventPayload, case id: CaseID = "C1", at time: Date = Self.arrived, to target: Store? = nil) throws {
        let handlers = ReintegrationService.handlers(workflow)
        try (target ?? store).write { db in try handlers.apply(.received(payload, case: id, at: time), in: db) }
    }

    static let budget = Money(amountMinor: 200_000, currency: "CAD")

    func openCase(consent: Bool = true, in target: Store? = nil) throws {
        try apply(CaseRegistered(programmeID: "canada-gta-pilot", travellers: [.init(travellerID: "C1-T1", familyRole: .principal, travelDocumentStatus: .valid)],
                                 returnCountry: "CO"), to: target)
        try apply(EligibilityDecided(eligible: true, assistance: AssistanceGrant(tier: .full, budget: Self.budget)), to: target)
        if consent { try apply(ConsentChanged(purpose: .sharingWithReintegrationPartner, granted: true), to: target) }
        try apply(Arrived(bookingID: "B1", arrivedAt: Self.arrived, arrivalAirport: "BOG", returnCountry: "CO", travellerIDs: ["C1-T1"]), to: target)
    }

    func write(_ body: (Database) throws -> Void) throws { try store.write(body) }

    func expectProblem(_ rule: String, status: Int, _ body: (Database) throws -> Void) {
        guard let problem = refusal(expecting: rule, { try store.write(body) }) else { return }
        #expect(problem.rule == rule, "\(problem.detail ?? "")")
        #expect(problem.statusCode == status)
    }

    func view() throws -> ReintegrationCaseView { try store.read { db in try ReintegrationRepository.view("C1", in: db)! } }

    func events() throws -> [ReceivedEvent] { try store.unpublishedEvents(of: .reintegration) }

    func assessAll() throws {
        for kind in AssessmentKind.allCases {
            try write { db in try workflow.recordAssessment("C1", AssessmentInput(kind: kind, summary: "done", recordedBy: "ro-1"), in: db) }
        }
    }

    func item(_ amount: Int64, partner: String = "Partner A", category: AssistanceCategory = .businessStartUp) -> PlanItemInput {
        PlanItemInput(dimension: .economic, category: category, partner: partner, description: "in kind", plannedAmount: Money(amountMinor: amount, currency: "CAD"))
    }

    func approvedPlan(_ items: [PlanItemInput]) throws {
        try assessAll()
        try write { db in try workflow.submitPlan("C1", PlanInput(items: items, recordedBy: "ro-1"), in: db) }
        try write { db in try workflow.approvePlan("C1", ApprovalInput(approvedBy: "sup-1"), in: db) }
    }

    func disburse(_ amount: Int64, item: String = "C1-I1") throws -> DisbursementID {
        var id: DisbursementID?
        try write { db in
            id = try workflow.disburse("C1", DisbursementInput(itemID: PlanItemID(item), delivered: "tools", partner: "Partner A",
                                                               deliveredAt: Self.arrived.addingTimeInterval(86_400), value: Money(amountMinor: amount, currency: "CAD"),
                                                               recordedBy: "ro-1"), in: db)
        }
        return id!
    }

    @Test func aCaseOpensOnArrivalWithTheTierBudgetWhateverTheEventOrder() throws {
        try apply(Arrived(bookingID: "B1", arrivedAt: Self.arrived, arrivalAirport: "BOG", returnCountry: "CO", travellerIDs: ["C1-T1"]))
        #expect(try view().status == "pending", "no budget known yet")
        // Intake's decision, made days before the arrival, reaches reintegration after it.
        try apply(EligibilityDecided(eligible: true, assistance: AssistanceGrant(tier: .designatedCountryOfOrigin, budget: Money(amountMinor: 50_000, currency: "CAD"))),
                  at: Self.arrived.addingTimeInterval(-5 * 86_400))
        #expect(try view().status == "open")
        #expect(try events().compactMap { $0.payload(as: ReintegrationOpened.self)?.budget } == [Money(amountMinor: 50_000, currency: "CAD")])
        #expect(try events().filter { $0.payload(as: ReintegrationOpened.self) != nil }.map(\.time) == [Self.arrived], "opened no earlier than the arrival")
    }

    @Test func aCaseWithdrawnBeforeArrivalNeverOpens() throws {
        try apply(EligibilityDecided(eligible: true, assistance: AssistanceGrant(tier: .full, budget: Self.budget)))
        try apply(CaseWithdrawn())
        try apply(Arrived(bookingID: "B1", arrivedAt: Self.arrived, arrivalAirport: "BOG", returnCountry: "CO", travellerIDs: ["C1-T1"]))
        #expect(try view().status == "pending")
        #expect(try events().isEmpty)
    }

    @Test func aPlanNeedsEveryAssessmentAPartnerPerItemAndMustFitTheBudget() throws {
        try openCase()
        expectProblem("assessments-missing", status: 409) { db in try workflow.submitPlan("C1", PlanInput(items: [item(100)], recordedBy: "ro-1"), in: db) }
        try assessAll()
        expectProblem("item-without-partner", status: 422) { db in try workflow.submitPlan("C1", PlanInput(items: [item(100, partner: " ")], recordedBy: "ro-1"), in: db) }
        expectProblem("over-budget", status: 422) { db in try workflow.submitPlan("C1", PlanInput(items: [item(150_000), item(50_001)], recordedBy: "ro-1"), in: db) }
        try write { db in try workflow.submitPlan("C1", PlanInput(items: [item(150_000), item(50_000)], recordedBy: "ro-1"), in: db) }  // exactly the budget
        #expect(try view().plan?.status == "awaiting-approval")
    }

    @Test func ifMatchReplacesOnlyThePlanVersionReadAndAnApprovedPlanIsNotEdited() throws {
        try openCase()
        try assessAll()
        let plan = PlanInput(items: [item(100_000)], recordedBy: "ro-1")
        expectProblem("plan-changed", status: 412) { db in try workflow.submitPlan("C1", plan, ifMatch: "*", in: db) }  // no plan yet
        try write { db in try workflow.submitPlan("C1", plan, in: db) }
        let read = try #require(try view().plan?.etag)
        try write { db in try workflow.submitPlan("C1", plan, ifMatch: "\"plan-v9\", \(read)", in: db) }
        expectProblem("plan-changed", status: 412) { db in try workflow.submitPlan("C1", plan, ifMatch: read, in: db) }
        #expect(try view().plan?.etag != read)
        try write { db in try workflow.approvePlan("C1", ApprovalInput(approvedBy: "sup-1"), in: db) }
        expectProblem("plan-approved", status: 409) { db in try workflow.submitPlan("C1", plan, in: db) }
    }

    @Test func theAuthorCannotApproveTheirOwnPlan() throws {
        try openCase()
        try assessAll()
        try write { db in try workflow.submitPlan("C1", PlanInput(items: [item(100_000)], recordedBy: "ro-1"), in: db) }
        expectProblem("four-eyes", status: 409) { db in try workflow.approvePlan("C1", ApprovalInput(approvedBy: "ro-1"), in: db) }
        try write { db in try workflow.approvePlan("C1", ApprovalInput(approvedBy: "sup-1"), in: db) }
        #expect(try events().last?.payload(as: PlanApproved.self)?.items.map(\.plannedAmount.amountMinor) == [100_000])
    }

    @Test func referralNeedsConsentToShareWithThePartner() throws {
        try openCase(consent: false)
        expectProblem("consent-missing", status: 409) { db in try workflow.refer("C1", Self.referral, in: db) }
        try apply(ConsentChanged(purpose: .sharingWithReintegrationPartner, granted: true))
        try write { db in try workflow.refer("C1", Self.referral, in: db) }
        #expect(try view().referrals.map(\.partnerName) == ["Fundación Retorno Risaralda"])
    }

    @Test func disbursementsStopAtTheItemAndTheBudgetToTheMinorUnit() throws {
        try openCase()
        try approvedPlan([item(150_000), item(50_000, category: .education)])
        expectProblem("item-not-approved", status: 422) { db in
            _ = try workflow.disburse("C1", DisbursementInput(itemID: "C1-I9", delivered: "x", partner: "P", deliveredAt: Self.arrived, value: Money(amountMinor: 1, currency: "CAD"), recordedBy: "ro"), in: db)
        }
        _ = try disburse(149_999)
        #expect(throws: ReintegrationRefusal.overItem(left: 1, planned: 150_000, value: 2)) { _ = try disburse(2) }  // one minor unit over the item
        _ = try disburse(1)                                      // the item exactly spent
        _ = try disburse(50_000, item: "C1-I2")                  // the budget exactly spent
        #expect(try view().disbursed == Self.budget)
        do {
            _ = try disburse(1, item: "C1-I2")
            Issue.record("overspent")
        } catch let refusal as ReintegrationRefusal {
            // The items' limits are what keep the case within its budget.
            #expect(refusal.problem.rule == "over-item")
        }
    }

    @Test func correctionsAreReversingEntriesAndTheLedgerAddsUp() throws {
        try openCase()
        try approvedPlan([item(100_000)])
        let first = try disburse(60_000)
        let reversal = try store.write { db in try workflow.reverse("C1", first, recordedBy: "ro-1", in: db) }
        #expect(throws: ReintegrationRefusal.alreadyReversed) { try store.write { db in _ = try workflow.reverse("C1", first, recordedBy: "ro-1", in: db) } }
        #expect(throws: ReintegrationRefusal.reversalOfReversal) { try store.write { db in _ = try workflow.reverse("C1", reversal, recordedBy: "ro-1", in: db) } }
        _ = try disburse(100_000)  // the reversal freed the item
        let ledger = try view().ledger
        #expect(ledger.map(\.value.amountMinor) == [60_000, -60_000, 100_000])
        #expect(ledger.map(\.value.amountMinor).reduce(0, +) == (try view().disbursed?.amountMinor))
        #expect(try events().compactMap { $0.payload(as: AssistanceDisbursed.self)?.reverses } == [first])
        #expect(throws: DatabaseError.self) {
            try store.write { db in try db.execute(sql: "UPDATE reint_disbursement SET value_minor = 1") }
        }
    }

    @Test func visitsScoreTheSurveyAndCannotPrecedeArrival() throws {
        try openCase()
        let answers = Dictionary(uniqueKeysWithValues: Self.survey.indicators.map { ($0.id, $0.maximum) })
        expectProblem("visit-before-arrival", status: 422) { db in
            try workflow.recordVisit("C1", VisitInput(visitedAt: Self.arrived.addingTimeInterval(-1), answers: answers, recordedBy: "ro"), in: db)
        }
        var outOfRange = answers
        outOfRange[Self.survey.indicators[0].id] = Self.survey.indicators[0].maximum + 1
        expectProblem("answer-out-of-range", status: 422) { db in
            try workflow.recordVisit("C1", VisitInput(visitedAt: Self.arrived, answers: outOfRange, recordedBy: "ro"), in: db)
        }
        try write { db in try workflow.recordVisit("C1", VisitInput(visitedAt: Self.arrived, answers: answers, recordedBy: "ro"), in: db) }
        #expect(try view().visits.map(\.scores.composite) == [1])
        let recorded = try #require(try events().last?.payload(as: MonitoringRecorded.self))
        #expect(recorded.scores == SustainabilityScores(economic: 1, social: 1, psychosocial: 1, composite: 1))
    }

    @Test func closingReportsWhatWasDisbursed() throws {
        try openCase()
        try approvedPlan([item(100_000)])
        _ = try disburse(40_000)
        try write { db in try workflow.close("C1", ClosureInput(outcome: .completed, recordedBy: "ro-1"), in: db) }
        #expect(try events().last?.payload(as: ReintegrationClosed.self) == ReintegrationClosed(outcome: .completed, totalDisbursed: Money(amountMinor: 40_000, currency: "CAD")))
        expectProblem("case-not-open", status: 409) { db in try workflow.refer("C1", Self.referral, in: db) }
    }

    @Test func listsForOfficers() throws {
        try openCase()
        try assessAll()
        try write { db in try workflow.submitPlan("C1", PlanInput(items: [item(100_000)], recordedBy: "ro-1"), in: db) }
        func list(_ name: String, at now: Date = Self.now) throws -> [CaseID] {
            try store.read { db in try ReintegrationRepository.list(name, country: "CO", now: now, nearlySpent: 0.9, visitEvery: 90 * 86_400, in: db) }.map(\.line.caseID)
        }
        #expect(try list("awaiting-approval") == ["C1"])
        #expect(try list("visits-due").isEmpty)
        #expect(try list("visits-due", at: Self.arrived.addingTimeInterval(91 * 86_400)) == ["C1"])
        try write { db in try workflow.approvePlan("C1", ApprovalInput(approvedBy: "sup-1"), in: db) }
        _ = try disburse(90_000)
        #expect(try list("budget-nearly-spent").isEmpty, "90,000 of 200,000")
    }
}

extension ReintegrationWorkflowTests {
    @Test func theBudgetIsFixedOnceOpenAndARevocationStopsAssistance() throws {
        try openCase()
        try apply(EligibilityDecided(eligible: false, reasons: [.residenceArea]))
        #expect(try view().budget == Self.budget, "a later decision does not change an open case's budget")
        try apply(EligibilityRevoked())
        #expect(try view().status == "revoked")
        expectProblem("case-not-open", status: 409) { db in try workflow.recordAssessment("C1", AssessmentInput(kind: .needs, summary: "x", recordedBy: "r"), in: db) }
    }

    @Test func oneHandlerPerConsumedEventTypeAndNoOther() throws {
        let handled = ReintegrationService.handlers(workflow).handledEvents.map { $0.eventType.name }
        #expect(handled == ServiceName.reintegration.consumes.map { $0.eventType.name })
        #expect(throws: EventRejected.self) { try apply(ReintegrationOpened(budget: Self.budget)) }
    }

    @Test func aTravelOnlyCaseDoesNotOpen() throws {
        try apply(EligibilityDecided(eligible: true, assistance: AssistanceGrant(tier: .travelOnly, budget: Money(amountMinor: 0, currency: "EUR"))))
        try apply(Arrived(bookingID: "B1", arrivedAt: Self.arrived, arrivalAirport: "BOG", returnCountry: "CO", travellerIDs: ["C1-T1"]))
        #expect(try view().status == "pending")
    }
}
