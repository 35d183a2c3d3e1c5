import Foundation
import HealthScreeningAPI
import HomewardClient
import HomewardModel
import IntakeAPI
import ReintegrationAPI
import TravelBookingAPI

/// One case as staff work it through a journey: the case's ids, and each staff action as a
/// step that converges exactly once (``JourneyRun/ensure(_:deadline:retryingRules:isDone:act:)``).
///
/// Every check of "done" reads the same service the action writes to, so a dropped answer
/// is found done on the re-check and never repeated.
public final class CaseWork {
    let run: JourneyRun
    var staff: Staff { run.staff }
    private(set) var caseID: CaseID = ""
    private(set) var travellers: [TravellerID] = []
    private(set) var people: [Person] = []
    private(set) var bookings: [BookingID] = []

    /// Who wrote and who approved a plan, as the services recorded them from the tokens.
    static func fourEyes(author: String?, approver: String?) -> String {
        guard let author, let approver, !author.isEmpty, !approver.isEmpty else { return "author or approver missing" }
        return author == approver ? "written and approved by one person" : "written and approved by two people"
    }

    init(_ run: JourneyRun) {
        self.run = run
    }

    func result() -> JourneyResult {
        JourneyResult(journey: run.journey, caseID: caseID.rawValue, travellerIDs: travellers.map(\.rawValue), bookingIDs: bookings.map(\.rawValue), verified: run.verified, elapsed: run.elapsed)
    }

    // MARK: Intake

    /// Registers the referral with an `Idempotency-Key` unique to this journey instance:
    /// repeating it after a lost answer answers the same case and creates nothing.
    @discardableResult
    func register(_ referral: Referral, key: String) async throws -> CaseView {
        let request = referral.request
        let view = try await run.repeatUntilAnswered("register the referral") {
            try await staff.intake.register(request, idempotencyKey: key)
        }
        caseID = view.caseID
        travellers = view.travellers.map(\.travellerID)
        people = referral.people
        return view
    }

    func intakeCase() async throws -> CaseView {
        try await staff.intake.case(caseID)
    }

    /// Records a counselling session, then the declaration, as an office does (the GTA
    /// pilot's declaration needs the session first).
    func declare() async throws {
        try await counsel()
        try await run.ensure("upload the signed declaration", isDone: {
            try await staff.intake.documents.list(caseID).documents.contains { $0.kind == .signedDeclaration }
        }) {
            _ = try await staff.intake.documents.upload(caseID, kind: .signedDeclaration, content: Self.signedDeclaration, mediaType: .pdf,
                                                        idempotencyKey: "\(caseID)-signed-declaration")
        }
        try await run.ensure("record the informed-choice declaration", isDone: { try await intakeCase().declaration != nil }) {
            _ = try await staff.intake.declaration(caseID)
        }
    }

    /// A counselling session with the principal, in their first language, with the topics an
    /// office covers before the declaration.
    func counsel() async throws {
        let language = people.first?.languages.first ?? "en"
        try await run.ensure("record a counselling session", isDone: { try await !intakeCase().counselling.isEmpty }) {
            _ = try await staff.intake.counselling(caseID, CounsellingInput(
                mode: .inPerson, language: language, interpreter: language != "en",
                topics: [.returnOptions, .voluntariness, .assistanceAvailable, .healthAndTravel], outcome: .wishesToReturn,
                notes: "return options and assistance explained; the family wishes to return"))
        }
    }

    /// The scan of a signed declaration, as a plain PDF.
    static let signedDeclaration = Data("%PDF-1.4\n% the informed-choice declaration, signed (a journey's stand-in)\n%%EOF\n".utf8)

    func consent(_ purpose: ConsentPurpose, granted: Bool) async throws {
        try await run.ensure("record consent \(purpose.rawValue): \(granted)", isDone: {
            try await intakeCase().consents.contains { $0.purpose == purpose && $0.granted == granted }
        }) {
            _ = try await staff.intake.consent(caseID, ConsentInput(purpose: purpose, granted: granted))
        }
    }

    /// The person withdraws consent to processing once health has the traveller's
    /// screening: health shows the case held and refuses an exam (`consent-withdrawn`,
    /// naming the purpose) while it is, travel does not book; consent given again lifts the hold.
    func holdForConsentThenResume(_ traveller: TravellerID) async throws {
        try await waitForScreening(traveller)
        try await consent(.processing, granted: false)
        try await run.verify("health: \(traveller) held for consent") {
            try await healthRecord(traveller).heldForConsent ? nil : "not held"
        }
        let exam = ExamInput(examinedOn: LocalDate(Instants.day(staff.now))!, results: [:])
        let refused = try await run.expectRefusal("an exam while consent to processing is withdrawn", rule: "consent-withdrawn") {
            _ = try await staff.health.exam(traveller, exam)
        }
        try await run.verify("health: the refusal names the purpose and the exam was not recorded") {
            guard refused.detail?.contains("consent to processing") == true else { return "the refusal does not name processing: \(refused)" }
            return try await healthRecord(traveller).screenings.last?.exams.isEmpty == true ? nil : "an exam is recorded"
        }
        // Travel has it too before it is given again, so the family is not booked in between.
        try await run.verify("travel: the case not bookable while consent to processing is withdrawn") {
            try await staff.travel.caseIfPresent(caseID)?.notBookableBecause.contains("the person withdrew consent to processing") == true
                ? nil : "travel does not show the withdrawal"
        }
        run.say("consent to processing withdrawn: health holds \(traveller), an exam refused (\(refused.rule ?? "-")); travel will not book")
        try await consent(.processing, granted: true)
        try await run.verify("health: \(traveller) no longer held once consent is given again") {
            try await healthRecord(traveller).heldForConsent ? "still held" : nil
        }
    }

    func withdraw() async throws {
        try await run.ensure("record the withdrawal", isDone: { try await intakeCase().status == .withdrawn }) {
            _ = try await staff.intake.withdraw(caseID)
        }
    }

    func revoke(by authority: String) async throws {
        try await run.ensure("record the revocation", isDone: { try await intakeCase().status == .revoked }) {
            _ = try await staff.intake.revoke(caseID, RevocationInput(authority: authority))
        }
    }

    // MARK: Health screening

    func healthRecord(_ traveller: TravellerID) async throws -> TravellerRecord {
        try await staff.health.traveller(traveller)
    }

    /// Waits until health shows `count` screenings for the traveller, the last open (or on hold).
    @discardableResult
    func waitForScreening(_ traveller: TravellerID, count: Int = 1) async throws -> TravellerRecord {
        try await run.waitFor("\(traveller)'s screening \(count)") {
            guard let record = try await staff.health.travellerIfPresent(traveller) else { return nil }
            let screenings = record.screenings
            return screenings.count >= count && ["open", "on-hold"].contains(screenings.last?.status ?? "") ? record : nil
        }
    }

    /// Records an exam on the traveller's current screening with a result for each of its
    /// required tests; answers those tests.
    @discardableResult
    func recordExam(_ traveller: TravellerID, examinedOn day: String) async throws -> [String] {
        let tests = try await run.repeatUntilAnswered("read \(traveller)'s screening") {
            try await healthRecord(traveller)
        }.screenings.last?.requiredTests ?? []
        let results = Dictionary(uniqueKeysWithValues: tests.map { ($0, Self.normalResult[$0] ?? "within normal limits") })
        let exam = ExamInput(examinedOn: LocalDate(day)!, results: results, notes: "pre-departure medical")
        try await run.ensure("record \(traveller)'s exam of \(day)", retryingRules: ["exam-in-future"], isDone: {
            (try await healthRecord(traveller)).screenings.last?.exams.contains { $0.examinedOn == exam.examinedOn } == true
        }) {
            _ = try await staff.health.exam(traveller, exam)
        }
        return tests
    }

    static let normalResult = [
        "chest-x-ray": "no active TB", "urinalysis": "within normal limits", "hiv": "non-reactive", "syphilis": "non-reactive",
    ]

    /// Records a fitness outcome on the traveller's current screening. A hold lasts
    /// `holdFor` from the moment each attempt is sent (a retry never sends a past end).
    func recordFitness(_ traveller: TravellerID, _ outcome: FitnessOutcome, requirements: [TravelRequirement] = [], holdFor: Duration? = nil,
                       retryingRules: Set<String> = [], deadline: Duration? = nil) async throws {
        try await run.ensure("record \(traveller) \(outcome.rawValue)", deadline: deadline, retryingRules: retryingRules, isDone: {
            (try await healthRecord(traveller)).screenings.last?.outcomes.last?.outcome == outcome
        }) {
            let holdUntil = holdFor.map { staff.now.addingTimeInterval(Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18) }
            _ = try await staff.health.fitness(traveller, FitnessInput(outcome: outcome, travelRequirements: requirements.isEmpty ? nil : requirements,
                                                                       holdUntil: holdUntil))
        }
    }

    /// Opens a new screening for the traveller (after a hold or a lapse).
    func rescreen(_ traveller: TravellerID) async throws {
        let before = (try await run.waitFor("\(traveller)'s health record") { try await staff.health.travellerIfPresent(traveller) }).screenings.count
        try await run.ensure("open a re-screen for \(traveller)", isDone: {
            (try await healthRecord(traveller)).screenings.count > before
        }) {
            _ = try await staff.health.rescreen(traveller)
        }
    }

    /// Waits for the pre-embarkation check health opens for `booking`, then passes it.
    func passPreEmbarkation(_ traveller: TravellerID, booking: BookingID) async throws {
        _ = try await run.waitFor("\(traveller)'s pre-embarkation check for \(booking)") {
            (try await healthRecord(traveller)).preEmbarkationChecks.contains { $0.bookingID == booking } ? true : nil
        }
        try await run.ensure("pass \(traveller)'s pre-embarkation check", isDone: {
            (try await healthRecord(traveller)).preEmbarkationChecks.contains { $0.bookingID == booking && $0.status == "done" }
        }) {
            _ = try await staff.health.preEmbarkation(traveller, FitnessInput(outcome: .cleared))
        }
    }

    /// Screens a traveller: waits for the screening, records today's exam, records the outcome.
    @discardableResult
    func screen(_ traveller: TravellerID, outcome: FitnessOutcome = .cleared, requirements: [TravelRequirement] = [], examinedOn: String? = nil) async throws -> [String] {
        try await waitForScreening(traveller)
        let tests = try await recordExam(traveller, examinedOn: examinedOn ?? Instants.day(staff.now))
        try await recordFitness(traveller, outcome, requirements: requirements)
        return tests
    }

    // MARK: Travel booking

    func travelCase() async throws -> TravelCaseView {
        try await staff.travel.case(caseID)
    }

    func booking(_ id: BookingID) async throws -> BookingView {
        try await staff.travel.booking(id)
    }

    func waitUntilBookable() async throws {
        _ = try await run.waitFor("the case as bookable") {
            try await staff.travel.caseIfPresent(caseID)?.bookable == true ? true : nil
        }
    }

    /// Proposes the family's itinerary; answers the new booking.
    @discardableResult
    func book(_ route: Route, departing departure: Date, lateDepartureReason: String? = nil) async throws -> BookingView {
        let known = Set(bookings)
        let request = BookingRequest(travellerIDs: travellers, segments: route.segments(departing: departure),
                                     remarks: "family travels together; seats together please", lateDepartureReason: lateDepartureReason)
        let made = try await run.ensure("book \(route.description)", isDone: {
            (try await travelCase()).bookings.first { !known.contains($0.bookingID) }
        }) {
            _ = try await staff.travel.propose(caseID, request)
        }
        bookings.append(made.bookingID)
        return made
    }

    /// Books the whole family on `route` and confirms the booking.
    func bookAndConfirm(_ route: Route, departing departure: Date) async throws -> BookingID {
        let booking = try await book(route, departing: departure).bookingID
        try await confirm(booking)
        return booking
    }

    /// Books the whole family again after `first` was held, and confirms it: checks that the
    /// new booking names `first` as the one it rebooks and carries every traveller.
    func rebook(_ first: BookingID, on route: Route, departing departure: Date) async throws -> BookingID {
        let second = try await book(route, departing: departure)
        try run.check("travel: \(second.bookingID) rebooks \(first) with the whole family", CaseWork.firstDifference([
            ("rebookingOf", second.rebookingOf?.rawValue ?? "-", first.rawValue),
            ("travellers", second.travellerIDs.map(\.rawValue).joined(separator: ","), travellers.map(\.rawValue).joined(separator: ",")),
        ]))
        try await confirm(second.bookingID)
        return second.bookingID
    }

    func confirm(_ id: BookingID) async throws {
        try await run.ensure("confirm booking \(id)", isDone: {
            ["confirmed", "departed", "arrived"].contains(try await booking(id).status)
        }) {
            _ = try await staff.travel.confirm(id)
        }
    }

    /// Records everyone boarding. Retries while travel has not yet learnt of the
    /// pre-embarkation checks or orientations (`pre-embarkation-check-missing`,
    /// `orientation-missing`): their events are on the way.
    func depart(_ id: BookingID) async throws {
        try await run.ensure("record departure of \(id)", retryingRules: ["pre-embarkation-check-missing", "orientation-missing"], isDone: {
            ["departed", "arrived"].contains(try await booking(id).status)
        }) {
            _ = try await staff.travel.depart(id, DepartureInput(boarded: travellers))
        }
    }

    /// Records a no-show: `absent` did not show; the family is kept together and rebooked.
    func noShow(_ id: BookingID, absent: [TravellerID]) async throws {
        let boarded = travellers.filter { !absent.contains($0) }
        try await run.ensure("record the no-show on \(id)", isDone: { try await booking(id).status == "on-hold" }) {
            _ = try await staff.travel.depart(id, DepartureInput(boarded: boarded, noShows: absent, noShowAction: .rebook))
        }
    }

    func transit(_ id: BookingID, at airport: String) async throws {
        try await run.ensure("record transit of \(id) at \(airport)", isDone: {
            try await booking(id).transits.contains { $0.airport == airport }
        }) {
            _ = try await staff.travel.transit(id, TransitInput(airport: airport))
        }
    }

    func arrive(_ id: BookingID) async throws {
        try await run.ensure("record arrival of \(id)", isDone: { try await booking(id).status == "arrived" }) {
            _ = try await staff.travel.arrive(id)
        }
    }

    /// Records the pre-departure orientation of each traveller travel booking says departure
    /// waits for (the programme's rule, e.g. the GTA pilot: 12 and older), in their language.
    func orientWhereRequired() async throws {
        let required = try await run.repeatUntilAnswered("read the travel case") { try await travelCase() }
            .travellers.filter { $0.orientation == .required }.map(\.travellerID)
        for traveller in required {
            let person = travellers.firstIndex(of: traveller).flatMap { $0 < people.count ? people[$0] : nil }
            let language = person?.languages.first ?? "en"
            try await run.ensure("record \(traveller)'s pre-departure orientation", isDone: {
                try await intakeCase().travellers.first { $0.travellerID == traveller }?.orientation != nil
            }) {
                _ = try await staff.intake.orientation(caseID, traveller, OrientationInput(
                    language: language, interpreter: language != "en", topics: [.arrivalProcedures, .reintegrationAssistance, .contacts, .travelDay]))
            }
        }
        if !required.isEmpty { run.say("pre-departure orientation recorded for " + required.map(\.rawValue).joined(separator: ", ")) }
    }

    /// The orientations departure waits for, pre-embarkation checks for everyone, departure,
    /// transits and arrival.
    func travel(_ id: BookingID, route: Route) async throws {
        try await orientWhereRequired()
        for traveller in travellers { try await passPreEmbarkation(traveller, booking: id) }
        run.say("pre-embarkation checks passed for " + (travellers.count == 1 ? "the traveller" : travellers.count == 2 ? "both" : "all \(travellers.count)"))
        try await depart(id)
        for airport in route.transits { try await transit(id, at: airport) }
        try await arrive(id)
        run.say("departed and arrived: \(route.description)" + (route.transits.isEmpty ? "" : ", transit at \(route.transits.joined(separator: ", ")) recorded"))
    }

    // MARK: Reintegration

    /// Reintegration's view of the case; a 404 (the case not known there yet) is transient.
    func reintegrationCase() async throws -> ReintegrationCaseView {
        guard let view = try await staff.reintegration.caseIfPresent(caseID) else {
            throw ServiceError(service: staff.reintegration.api.name, method: "GET", path: "/cases/\(caseID)", failure: .notYetKnown,
                               rule: "unknown-case", detail: nil, field: nil)
        }
        return view
    }

    /// Checks that reintegration expects `booking` (travel confirmed it) with its arrival,
    /// airport and last flight, before the family travels.
    func verifyReintegrationExpects(_ booking: BookingView) async throws {
        let last = booking.segments.last
        try await run.verify("reintegration: expected on \(booking.bookingID), landing at \(last?.to ?? "-") on \(last?.flightNumber ?? "-")") {
            let view = try await reintegrationCase()
            return CaseWork.firstDifference([
                ("status", view.status, "expected"),
                ("booking expected", view.expectedArrival?.bookingID.rawValue ?? "-", booking.bookingID.rawValue),
                ("arrival expected", view.expectedArrival.map { Instant.format($0.arrivalAt) } ?? "-", Instant.format(booking.arrivalAt)),
                ("arrival airport", view.expectedArrival?.arrivalAirport ?? "-", last?.to ?? "-"),
                ("arrival flight", view.expectedArrival?.flightNumber ?? "-", last?.flightNumber ?? "-"),
            ])
        }
    }

    /// The reintegration officer records what the partner provides on arrival.
    func recordReception(_ needs: [ReceptionNeed], note: String) async throws {
        try await run.ensure("record the reception needs", retryingRules: ["case-not-expected"], isDone: {
            try await reintegrationCase().reception?.needs == needs
        }) {
            _ = try await staff.reintegration.reception(caseID, ReceptionInput(needs: needs, note: note))
        }
    }

    @discardableResult
    func waitUntilReintegrationOpens() async throws -> ReintegrationCaseView {
        try await run.waitFor("the reintegration case open") {
            let view = try await staff.reintegration.caseIfPresent(caseID)
            return view?.status == "open" ? view : nil
        }
    }

    /// Checks that reintegration opened the case with the generic programme's full budget.
    func verifyReintegrationOpenWithFullBudget() async throws {
        try await run.verify("reintegration: open with EUR 1,500") {
            let view = try await reintegrationCase()
            return CaseWork.firstDifference([("status", view.status, "open"),
                                             ("budget", CaseWork.money(view.budget), "EUR \(ProgrammeFacts.genericFullBudgetMinor)")])
        }
    }

    func assess(_ kinds: [AssessmentKind] = [.needs, .vulnerability, .family, .skills]) async throws {
        for kind in kinds {
            try await run.ensure("record the \(kind.rawValue) assessment", isDone: {
                try await reintegrationCase().assessments.contains(kind)
            }) {
                _ = try await staff.reintegration.assessment(caseID, AssessmentInput(kind: kind, summary: "assessed with the family at the partner's office"))
            }
        }
    }

    /// One item of a reintegration plan.
    struct PlanItem {
        var dimension: ReintegrationDimension
        var category: AssistanceCategory
        var partner: String
        var description: String
        var amountMinor: Int
    }

    /// Consent to share with the partner, just recorded in intake, may not have reached
    /// reintegration yet (`consent-missing`: tried again).
    func submitPlan(_ items: [PlanItem], currency: String) async throws {
        let plan = PlanInput(items: items.map {
            PlanItemInput(dimension: $0.dimension, category: $0.category, partner: $0.partner, description: $0.description,
                          plannedAmount: Money(amountMinor: Int64($0.amountMinor), currency: currency))
        })
        try await run.ensure("submit the reintegration plan", retryingRules: ["consent-missing"], isDone: {
            let planned = try await reintegrationCase().plan?.items ?? []
            return planned.map { "\($0.description ?? "")=\($0.plannedAmount.amountMinor)" } == items.map { "\($0.description)=\($0.amountMinor)" }
        }) {
            _ = try await staff.reintegration.plan(caseID, plan)
        }
    }

    func approvePlan() async throws {
        try await run.ensure("approve the plan", isDone: { try await reintegrationCase().plan?.status == "approved" }) {
            _ = try await staff.supervisor.approvePlan(caseID)
        }
    }

    /// Refers the case to a partner of the directory for a service, then records the
    /// referral's `steps` in order (the partner's answer, progress, completion).
    func refer(to partnerID: String, for service: AssistanceCategory, steps: [ReferralStatus] = []) async throws {
        func referral() async throws -> ReferralView? {
            try await reintegrationCase().referrals.first { $0.partnerID == partnerID && $0.service == service }
        }
        let id = try await run.ensure("refer to \(partnerID) for \(service.rawValue)", retryingRules: ["consent-missing"], isDone: { try await referral()?.referralID }) {
            _ = try await staff.reintegration.refer(caseID, ReferralInput(partnerID: partnerID, service: service))
        }
        for step in steps {
            try await run.ensure("referral \(id): \(step.rawValue)", isDone: { try await referral()?.steps.contains { $0.status == step } == true }) {
                _ = try await staff.reintegration.referralStep(caseID, referral: id, ReferralStepInput(status: step))
            }
        }
    }

    /// Records a delivery against a plan item. `delivered` must be unique within the case:
    /// it is how the re-check finds a delivery whose answer was lost. Delivered "now" on the
    /// stack's clock, after the arrival and the plan's approval.
    func disburse(item: PlanItemID, delivered: String, partner: String, amountMinor: Int, currency: String) async throws {
        try await run.ensure("record delivery of \(delivered)", retryingRules: ["delivery-in-future"], isDone: {
            try await reintegrationCase().ledger.contains { $0.itemID == item && $0.delivered == delivered }
        }) {
            _ = try await staff.reintegration.disburse(caseID, DisbursementInput(
                itemID: item, delivered: delivered, partner: partner, deliveredAt: staff.now, value: Money(amountMinor: Int64(amountMinor), currency: currency)))
        }
    }

    /// Records a monitoring visit with answers three quarters up each indicator's scale.
    func visit() async throws {
        let survey = try await run.repeatUntilAnswered("read the sustainability survey") { try await staff.reintegration.survey() }
        let answers = Dictionary(uniqueKeysWithValues: survey.indicators.map { ($0.id, $0.minimum + ($0.maximum - $0.minimum) * 3 / 4) })
        let before = try await run.repeatUntilAnswered("read the reintegration case") { try await reintegrationCase() }.visits.count
        try await run.ensure("record the monitoring visit", retryingRules: ["visit-in-future"], isDone: {
            try await reintegrationCase().visits.count > before
        }) {
            _ = try await staff.reintegration.visit(caseID, VisitInput(visitedAt: staff.now, answers: answers))
        }
    }

    func close(_ outcome: ReintegrationOutcome) async throws {
        try await run.ensure("close the reintegration case", isDone: { try await reintegrationCase().status == "closed" }) {
            _ = try await staff.reintegration.close(caseID, ClosureInput(outcome: outcome))
        }
    }
}
