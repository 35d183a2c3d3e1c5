import Foundation

/// One case as staff work it through a journey: the case's ids, and each staff action as a
/// step that converges exactly once (``JourneyRun/ensure(_:deadline:retryingRules:isDone:act:)``).
///
/// Every check of "done" reads the same service the action writes to, so a dropped answer
/// is found done on the re-check and never repeated.
public final class CaseWork {
    let run: JourneyRun
    var staff: Staff { run.staff }
    private(set) var caseID = ""
    private(set) var travellers: [String] = []
    private(set) var people: [Person] = []
    private(set) var bookings: [String] = []

    /// Who wrote and who approved a plan, as the services recorded them from the tokens.
    static func fourEyes(author: String?, approver: String?) -> String {
        guard let author, let approver, !author.isEmpty, !approver.isEmpty else { return "author or approver missing" }
        return author == approver ? "written and approved by one person" : "written and approved by two people"
    }

    init(_ run: JourneyRun) {
        self.run = run
    }

    func result() -> JourneyResult {
        JourneyResult(journey: run.journey, caseID: caseID, travellerIDs: travellers, bookingIDs: bookings, verified: run.verified, elapsed: run.elapsed)
    }

    // MARK: Intake

    /// Registers the referral with an `Idempotency-Key` unique to this journey instance:
    /// repeating it after a lost answer answers the same case and creates nothing.
    @discardableResult
    func register(_ referral: Referral, key: String) async throws -> JSON {
        let body = referral.json
        let view = try await run.repeatUntilAnswered("register the referral") {
            try await staff.intake.post("cases", body, headers: ["Idempotency-Key": key])
        }
        guard let id = view["caseID"].string else {
            throw JourneyError(journey: run.journey, step: "register the referral", reason: .notAsExpected("no caseID in \(view)"))
        }
        caseID = id
        travellers = view["travellers"].array.compactMap { $0["travellerID"].string }
        people = referral.people
        return view
    }

    func intakeCase() async throws -> JSON {
        try await staff.intake.get("cases/\(caseID)")
    }

    func declare() async throws {
        try await run.ensure("record the informed-choice declaration", isDone: { !(try await intakeCase())["declaration"].isNull }) {
            try await staff.intake.post("cases/\(caseID)/declaration", [:])
        }
    }

    func consent(_ purpose: String, granted: Bool) async throws {
        try await run.ensure("record consent \(purpose): \(granted)", isDone: {
            try await intakeCase()["consents"].array.contains { $0["purpose"].string == purpose && $0["granted"].bool == granted }
        }) {
            try await staff.intake.post("cases/\(caseID)/consents",
                                        ["purpose": JSON(purpose), "granted": .bool(granted)])
        }
    }

    func withdraw() async throws {
        try await run.ensure("record the withdrawal", isDone: { try await intakeCase()["status"].string == "withdrawn" }) {
            try await staff.intake.post("cases/\(caseID)/withdrawal", [:])
        }
    }

    func revoke(by authority: String) async throws {
        try await run.ensure("record the revocation", isDone: { try await intakeCase()["status"].string == "revoked" }) {
            try await staff.intake.post("cases/\(caseID)/revocation", ["authority": JSON(authority)])
        }
    }

    // MARK: Health screening

    func healthRecord(_ traveller: String) async throws -> JSON {
        try await staff.health.get("travellers/\(traveller)")
    }

    /// Waits until health shows `count` screenings for the traveller, the last open (or on hold).
    @discardableResult
    func waitForScreening(_ traveller: String, count: Int = 1) async throws -> JSON {
        try await run.waitFor("\(traveller)'s screening \(count)") {
            guard let record = try await staff.health.getIfPresent("travellers/\(traveller)") else { return nil }
            let screenings = record["screenings"].array
            return screenings.count >= count && ["open", "on-hold"].contains(screenings.last?["status"].string ?? "") ? record : nil
        }
    }

    /// Records an exam on the traveller's current screening with a result for each of its
    /// required tests; answers those tests.
    @discardableResult
    func recordExam(_ traveller: String, examinedOn day: String) async throws -> [String] {
        let tests = try await run.repeatUntilAnswered("read \(traveller)'s screening") {
            try await healthRecord(traveller)
        }["screenings"].array.last?["requiredTests"].strings ?? []
        let results = JSON.object(Dictionary(uniqueKeysWithValues: tests.map { ($0, JSON(Self.normalResult[$0] ?? "within normal limits")) }))
        try await run.ensure("record \(traveller)'s exam of \(day)", retryingRules: ["exam-in-future"], isDone: {
            (try await healthRecord(traveller))["screenings"].array.last?["exams"].array.contains { $0["examinedOn"].string == day } == true
        }) {
            try await staff.health.post("travellers/\(traveller)/exams", [
                "examinedOn": JSON(day), "results": results, "notes": "pre-departure medical"])
        }
        return tests
    }

    static let normalResult = [
        "chest-x-ray": "no active TB", "urinalysis": "within normal limits", "hiv": "non-reactive", "syphilis": "non-reactive",
    ]

    /// Records a fitness outcome on the traveller's current screening. A hold lasts
    /// `holdFor` from the moment each attempt is sent (a retry never sends a past end).
    func recordFitness(_ traveller: String, _ outcome: String, requirements: [String] = [], holdFor: Duration? = nil,
                       retryingRules: Set<String> = [], deadline: Duration? = nil) async throws {
        try await run.ensure("record \(traveller) \(outcome)", deadline: deadline, retryingRules: retryingRules, isDone: {
            (try await healthRecord(traveller))["screenings"].array.last?["outcomes"].array.last?["outcome"].string == outcome
        }) {
            var body: [String: JSON] = ["outcome": JSON(outcome)]
            if !requirements.isEmpty { body["travelRequirements"] = JSON(requirements) }
            if let holdFor {
                let seconds = Double(holdFor.components.seconds) + Double(holdFor.components.attoseconds) / 1e18
                body["holdUntil"] = JSON(instant: staff.now.addingTimeInterval(seconds))
            }
            try await staff.health.post("travellers/\(traveller)/fitness", .object(body))
        }
    }

    /// Opens a new screening for the traveller (after a hold or a lapse).
    func rescreen(_ traveller: String) async throws {
        let before = (try await run.waitFor("\(traveller)'s health record") { try await staff.health.getIfPresent("travellers/\(traveller)") })["screenings"].array.count
        try await run.ensure("open a re-screen for \(traveller)", isDone: {
            (try await healthRecord(traveller))["screenings"].array.count > before
        }) {
            try await staff.health.post("travellers/\(traveller)/rescreen", [:])
        }
    }

    /// Waits for the pre-embarkation check health opens for `booking`, then passes it.
    func passPreEmbarkation(_ traveller: String, booking: String) async throws {
        _ = try await run.waitFor("\(traveller)'s pre-embarkation check for \(booking)") {
            (try await healthRecord(traveller))["preEmbarkationChecks"].array.contains { $0["bookingID"].string == booking } ? true : nil
        }
        try await run.ensure("pass \(traveller)'s pre-embarkation check", isDone: {
            (try await healthRecord(traveller))["preEmbarkationChecks"].array.contains {
                $0["bookingID"].string == booking && $0["status"].string == "done"
            }
        }) {
            try await staff.health.post("travellers/\(traveller)/pre-embarkation", ["outcome": "cleared"])
        }
    }

    /// Screens a traveller: waits for the screening, records today's exam, records the outcome.
    @discardableResult
    func screen(_ traveller: String, outcome: String = "cleared", requirements: [String] = [], examinedOn: String? = nil) async throws -> [String] {
        try await waitForScreening(traveller)
        let tests = try await recordExam(traveller, examinedOn: examinedOn ?? Instants.day(staff.now))
        try await recordFitness(traveller, outcome, requirements: requirements)
        return tests
    }

    // MARK: Travel booking

    func travelCase() async throws -> JSON {
        try await staff.travel.get("cases/\(caseID)")
    }

    func booking(_ id: String) async throws -> JSON {
        try await staff.travel.get("bookings/\(id)")
    }

    func waitUntilBookable() async throws {
        _ = try await run.waitFor("the case as bookable") {
            try await staff.travel.getIfPresent("cases/\(caseID)")?["bookable"].bool == true ? true : nil
        }
    }

    /// Proposes the family's itinerary; answers the new booking.
    @discardableResult
    func book(_ route: Route, departing departure: Date, lateDepartureReason: String? = nil) async throws -> JSON {
        let known = Set(bookings)
        var body: [String: JSON] = [
            "travellerIDs": JSON(travellers), "segments": route.segments(departing: departure),
            "remarks": "family travels together; seats together please",
        ]
        if let lateDepartureReason { body["lateDepartureReason"] = JSON(lateDepartureReason) }
        let made = try await run.ensure("book \(route.description)", isDone: {
            (try await travelCase())["bookings"].array.first { !known.contains($0["bookingID"].string ?? "") }
        }) {
            try await staff.travel.post("cases/\(caseID)/bookings", .object(body))
        }
        bookings.append(made["bookingID"].string ?? "")
        return made
    }

    func confirm(_ id: String) async throws {
        try await run.ensure("confirm booking \(id)", isDone: {
            ["confirmed", "departed", "arrived"].contains(try await booking(id)["status"].string ?? "")
        }) {
            try await staff.travel.post("bookings/\(id)/confirmation", [:])
        }
    }

    /// Records everyone boarding. Retries while travel has not yet learnt of the
    /// pre-embarkation checks (`pre-embarkation-check-missing`): their events are on the way.
    func depart(_ id: String) async throws {
        try await run.ensure("record departure of \(id)", retryingRules: ["pre-embarkation-check-missing"], isDone: {
            ["departed", "arrived"].contains(try await booking(id)["status"].string ?? "")
        }) {
            try await staff.travel.post("bookings/\(id)/departure", ["boarded": JSON(travellers)])
        }
    }

    /// Records a no-show: `absent` did not show; the family is kept together and rebooked.
    func noShow(_ id: String, absent: [String]) async throws {
        let boarded = travellers.filter { !absent.contains($0) }
        try await run.ensure("record the no-show on \(id)", isDone: { try await booking(id)["status"].string == "on-hold" }) {
            try await staff.travel.post("bookings/\(id)/departure", [
                "boarded": JSON(boarded), "noShows": JSON(absent), "noShowAction": "rebook"])
        }
    }

    func transit(_ id: String, at airport: String) async throws {
        try await run.ensure("record transit of \(id) at \(airport)", isDone: {
            try await booking(id)["transits"].array.contains { $0["airport"].string == airport }
        }) {
            try await staff.travel.post("bookings/\(id)/transit", ["airport": JSON(airport)])
        }
    }

    func arrive(_ id: String) async throws {
        try await run.ensure("record arrival of \(id)", isDone: { try await booking(id)["status"].string == "arrived" }) {
            try await staff.travel.post("bookings/\(id)/arrival", [:])
        }
    }

    /// Pre-embarkation checks for everyone, departure, transits and arrival.
    func travel(_ id: String, route: Route) async throws {
        for traveller in travellers { try await passPreEmbarkation(traveller, booking: id) }
        run.say("pre-embarkation checks passed for " + (travellers.count == 1 ? "the traveller" : travellers.count == 2 ? "both" : "all \(travellers.count)"))
        try await depart(id)
        for airport in route.transits { try await transit(id, at: airport) }
        try await arrive(id)
        run.say("departed and arrived: \(route.description)" + (route.transits.isEmpty ? "" : ", transit at \(route.transits.joined(separator: ", ")) recorded"))
    }

    // MARK: Reintegration

    /// Reintegration's view of the case; a 404 (the case not known there yet) is transient.
    func reintegrationCase() async throws -> JSON {
        guard let view = try await staff.reintegration.getIfPresent("cases/\(caseID)") else {
            throw ServiceError(service: staff.reintegration.name, method: "GET", path: "/cases/\(caseID)", failure: .notYetKnown,
                               rule: "unknown-case", detail: nil, field: nil)
        }
        return view
    }

    @discardableResult
    func waitUntilReintegrationOpens() async throws -> JSON {
        try await run.waitFor("the reintegration case open") {
            let view = try await staff.reintegration.getIfPresent("cases/\(caseID)")
            return view?["status"].string == "open" ? view : nil
        }
    }

    func assess(_ kinds: [String] = ["needs", "vulnerability", "family", "skills"]) async throws {
        for kind in kinds {
            try await run.ensure("record the \(kind) assessment", isDone: {
                try await reintegrationCase()["assessments"].strings.contains(kind)
            }) {
                try await staff.reintegration.post("cases/\(caseID)/assessments", [
                    "kind": JSON(kind), "summary": "assessed with the family at the partner's office"])
            }
        }
    }

    /// One item of a reintegration plan.
    struct PlanItem {
        var dimension: String
        var category: String
        var partner: String
        var description: String
        var amountMinor: Int
    }

    func submitPlan(_ items: [PlanItem], currency: String) async throws {
        let body: JSON = ["items": .array(items.map {
            ["dimension": JSON($0.dimension), "category": JSON($0.category), "partner": JSON($0.partner), "description": JSON($0.description),
             "plannedAmount": ["amountMinor": JSON($0.amountMinor), "currency": JSON(currency)]]
        })]
        try await run.ensure("submit the reintegration plan", isDone: {
            let planned = try await reintegrationCase()["plan"]["items"].array
            return planned.map { "\($0["description"].string ?? "")=\($0["plannedAmount"]["amountMinor"].int ?? -1)" }
                == items.map { "\($0.description)=\($0.amountMinor)" }
        }) {
            try await staff.reintegration.put("cases/\(caseID)/plan", body)
        }
    }

    func approvePlan() async throws {
        try await run.ensure("approve the plan", isDone: { try await reintegrationCase()["plan"]["status"].string == "approved" }) {
            try await staff.supervisor.post("cases/\(caseID)/plan/approval", [:])
        }
    }

    func refer(to partner: String) async throws {
        try await run.ensure("refer to \(partner)", isDone: { try await reintegrationCase()["referrals"].strings.contains(partner) }) {
            try await staff.reintegration.post("cases/\(caseID)/referrals", ["partner": JSON(partner)])
        }
    }

    /// Records a delivery against a plan item. `delivered` must be unique within the case:
    /// it is how the re-check finds a delivery whose answer was lost. Delivered "now" on the
    /// stack's clock, after the arrival and the plan's approval.
    func disburse(item: String, delivered: String, partner: String, amountMinor: Int, currency: String) async throws {
        try await run.ensure("record delivery of \(delivered)", retryingRules: ["delivery-in-future"], isDone: {
            try await reintegrationCase()["ledger"].array.contains { $0["itemID"].string == item && $0["delivered"].string == delivered }
        }) {
            try await staff.reintegration.post("cases/\(caseID)/disbursements", [
                "itemID": JSON(item), "delivered": JSON(delivered), "partner": JSON(partner), "deliveredAt": JSON(instant: staff.now),
                "value": ["amountMinor": JSON(amountMinor), "currency": JSON(currency)]])
        }
    }

    /// Records a monitoring visit with answers three quarters up each indicator's scale.
    func visit() async throws {
        let survey = try await run.repeatUntilAnswered("read the sustainability survey") { try await staff.reintegration.get("survey") }
        let answers = JSON.object(Dictionary(uniqueKeysWithValues: survey["indicators"].array.compactMap { indicator -> (String, JSON)? in
            guard let id = indicator["id"].string, let low = indicator["minimum"].int, let high = indicator["maximum"].int else { return nil }
            return (id, JSON(low + (high - low) * 3 / 4))
        }))
        let before = try await run.repeatUntilAnswered("read the reintegration case") { try await reintegrationCase() }["visits"].array.count
        try await run.ensure("record the monitoring visit", retryingRules: ["visit-in-future"], isDone: {
            try await reintegrationCase()["visits"].array.count > before
        }) {
            try await staff.reintegration.post("cases/\(caseID)/visits", [
                "visitedAt": JSON(instant: staff.now), "answers": answers])
        }
    }

    func close(_ outcome: String) async throws {
        try await run.ensure("close the reintegration case", isDone: { try await reintegrationCase()["status"].string == "closed" }) {
            try await staff.reintegration.post("cases/\(caseID)/closure", ["outcome": JSON(outcome)])
        }
    }
}
