import Foundation
import HomewardModel
import Kafka
@testable import Reintegration
import TestSupport
import Testing
import ReintegrationAPI

@Suite("Reintegration over HTTP", .serialized)
struct ReintegrationFlowTests {
    static let encoder = EventCoding.encoder()

    func post<T: Encodable>(_ base: URL, _ path: String, _ body: T, method: String = "POST") async throws -> HTTP.Reply {
        try await HTTP.send(method, base.appendingPathComponent(path), body: try Self.encoder.encode(body))
    }

    /// Fake intake and travel services publish; officers plan, approve, refer, disburse,
    /// correct, monitor and close over HTTP.
    /// The work list pages by its `Link` headers, and filters by `returnCountry` as every list does.
    @Test func theWorkListPagesByItsLinks() async throws {
        let cluster = try TestCluster("reint-list")
        let (service, producer) = try await cluster.fedService("reintegration")
        let base = service.baseURL
        let arrivedAt = Date().addingTimeInterval(-3 * 86_400)
        let budget = Money(amountMinor: 50_000, currency: "CAD")
        for (n, country) in ["CO", "MX", "CO", "CO", "MX", "CO"].enumerated() {
            let other = CaseID("CASE-L\(n)")
            for result in await producer.send([
                try EventTraffic.message(CloudEvent(caseID: other, data: EligibilityDecided(eligible: true, assistance: AssistanceGrant(tier: .full, budget: budget)))),
                try EventTraffic.message(CloudEvent(caseID: other, data: Arrived(bookingID: BookingID("B-L\(n)"), arrivedAt: arrivedAt, arrivalAirport: "BOG",
                                                                                 returnCountry: country, travellerIDs: [TravellerID("CASE-L\(n)-T1")]))),
            ]) { _ = try result.get() }
        }
        func colombia() async throws -> [String] {
            try await HTTP.allPages(base.appendingPathComponent("cases").appending(queryItems: [.init(name: "returnCountry", value: "co"), .init(name: "limit", value: "2")]),
                                    field: "cases", base: base).compactMap { $0["caseID"] as? String }
        }
        #expect(await eventually { (try? await colombia())?.count == 4 })
        #expect(Set(try await colombia()) == ["CASE-L0", "CASE-L2", "CASE-L3", "CASE-L5"])
        let renamed = try await HTTP.send("GET", base.appendingPathComponent("cases").appending(queryItems: [.init(name: "country", value: "CO")]))
        #expect(try renamed.status == 400 && renamed.json()["field"] as? String == "country")
        await service.child.stop()
    }

    @Test func aCaseRunsFromArrivalToClosure() async throws {
        let cluster = try TestCluster("reint-flow")
        let (service, producer) = try await cluster.fedService("reintegration")
        let base = service.baseURL
        let id: CaseID = "CASE-R"
        let arrivedAt = Date().addingTimeInterval(-3 * 86_400)
        let budget = Money(amountMinor: 50_000, currency: "CAD")
        for result in await producer.send([
            try EventTraffic.message(CloudEvent(caseID: id, data: EligibilityDecided(eligible: true, assistance: AssistanceGrant(tier: .designatedCountryOfOrigin, budget: budget)))),
            try EventTraffic.message(CloudEvent(caseID: id, data: ConsentChanged(purpose: .sharingWithReintegrationPartner, granted: true))),
            try EventTraffic.message(CloudEvent(caseID: id, data: Arrived(bookingID: "B-R", arrivedAt: arrivedAt, arrivalAirport: "BOG", returnCountry: "CO",
                                                                          travellerIDs: ["CASE-R-T1"]))),
        ]) { _ = try result.get() }
        #expect(await eventually { (try? await HTTP.send("GET", base.appendingPathComponent("cases/CASE-R")).json()["status"] as? String) == "open" })

        for kind in AssessmentKind.allCases {
            #expect(try await post(base, "cases/CASE-R/assessments", AssessmentInput(kind: kind, summary: "ok", recordedBy: "ro-1")).status == 200)
        }
        let items = [PlanItemInput(dimension: .economic, category: .businessStartUp, partner: "Fundación A", description: "kiosk stock", plannedAmount: Money(amountMinor: 40_000, currency: "CAD")),
                     PlanItemInput(dimension: .psychosocial, category: .psychosocialSupport, partner: "Centro B", description: "counselling", plannedAmount: Money(amountMinor: 10_000, currency: "CAD"))]
        var over = items
        over[1].plannedAmount.amountMinor = 10_001
        let refused = try await post(base, "cases/CASE-R/plan", PlanInput(items: over, recordedBy: "ro-1"), method: "PUT")
        #expect(refused.status == 422)
        #expect(try refused.json()["rule"] as? String == "over-budget")
        let planned = try await post(base, "cases/CASE-R/plan", PlanInput(items: items, recordedBy: "ro-1"), method: "PUT")
        #expect(planned.status == 200)
        let etag = try #require(planned.headers["etag"])
        #expect((try planned.json()["plan"] as? [String: Any])?["etag"] as? String == etag)
        // Two officers replacing the plan: the one who read an older version is told, not overwritten.
        let planURL = base.appendingPathComponent("cases/CASE-R/plan")
        let replacement = try Self.encoder.encode(PlanInput(items: items, recordedBy: ""))
        let replaced = try await HTTP.send("PUT", planURL, body: replacement, headers: ["If-Match": etag, "Idempotency-Key": "plan-2"])
        #expect(replaced.status == 200 && replaced.headers["etag"] != etag)
        // Its retry gets the same answer, ETag included, and replaces nothing.
        let planRetry = try await HTTP.send("PUT", planURL, body: replacement, headers: ["If-Match": etag, "Idempotency-Key": "plan-2"])
        #expect(planRetry.headers["idempotent-replayed"] == "true" && planRetry.headers["etag"] == replaced.headers["etag"])
        let stale = try await HTTP.send("PUT", planURL, body: try Self.encoder.encode(PlanInput(items: Array(items.prefix(1)), recordedBy: "")), headers: ["If-Match": etag])
        #expect(stale.status == 412)
        #expect(try stale.json()["rule"] as? String == "plan-changed")
        #expect(((try await HTTP.send("GET", base.appendingPathComponent("cases/CASE-R")).json()["plan"] as? [String: Any])?["items"] as? [Any])?.count == 2,
                "the stale replacement changed nothing")
        // The author holds the supervisor role too (the test token holds every role): four eyes
        // compares people, so neither their roles nor a name typed in the body lets them approve.
        let selfApproval = try await post(base, "cases/CASE-R/plan/approval", ApprovalInput(approvedBy: "ro-1"))
        #expect(selfApproval.status == 409)
        #expect(try selfApproval.json()["rule"] as? String == "four-eyes")
        let typedName = try await HTTP.send("POST", base.appendingPathComponent("cases/CASE-R/plan/approval"), body: Data(#"{"approvedBy":"SUP-1"}"#.utf8))
        #expect(typedName.status == 422)
        #expect(try typedName.json()["rule"] as? String == "actor-from-token")
        #expect(try typedName.json()["field"] as? String == "/approvedBy")
        let supervisor = ["Authorization": "Bearer " + (try await TestAccess.token([.supervisor], subject: "sup-1"))]
        let approved = try await HTTP.send("POST", base.appendingPathComponent("cases/CASE-R/plan/approval"), body: Data("{}".utf8), headers: supervisor)
        #expect(approved.status == 200)
        let plan = try approved.json()["plan"] as? [String: Any]
        #expect(plan?["author"] as? String == "test-staff" && plan?["approvedBy"] as? String == "sup-1", "recorded from the tokens")
        #expect(try await post(base, "cases/CASE-R/referrals", ReferralInput(partnerID: "fundacion-retorno-risaralda", service: .businessStartUp)).status == 200)

        let delivery = DisbursementInput(itemID: "CASE-R-I1", delivered: "stock", partner: "Fundación A", deliveredAt: arrivedAt.addingTimeInterval(86_400),
                                         value: Money(amountMinor: 40_000, currency: "CAD"), recordedBy: "ro-1")
        // A retried disbursement is recorded once: the same key and body get the first answer
        // again; the same key with another body is refused.
        let url = base.appendingPathComponent("cases/CASE-R/disbursements")
        let disbursed = try await HTTP.send("POST", url, body: try Self.encoder.encode(delivery), headers: ["Idempotency-Key": "delivery-1"])
        #expect(disbursed.status == 200)
        let retried = try await HTTP.send("POST", url, body: try Self.encoder.encode(delivery), headers: ["Idempotency-Key": "delivery-1"])
        #expect(retried.status == 200 && retried.headers["idempotent-replayed"] == "true")
        #expect((try retried.json()["ledger"] as? [Any])?.count == 1)
        var other = delivery
        other.delivered = "stock and more"
        let reused = try await HTTP.send("POST", url, body: try Self.encoder.encode(other), headers: ["Idempotency-Key": "delivery-1"])
        #expect(reused.status == 422)
        #expect(try reused.json()["rule"] as? String == "idempotency-key-reused")
        #expect((try await HTTP.send("GET", base.appendingPathComponent("cases/CASE-R")).json()["ledger"] as? [Any])?.count == 1, "one ledger entry")
        let entry = try #require(((try disbursed.json()["ledger"] as? [[String: Any]])?.first?["disbursementID"]) as? String)
        #expect(try await post(base, "cases/CASE-R/disbursements/\(entry)/reversal", ReversalInput(recordedBy: "ro-1")).status == 200)
        #expect(try await post(base, "cases/CASE-R/disbursements", delivery).status == 200)

        let survey = ReintegrationWorkflowTests.survey
        let answers = Dictionary(uniqueKeysWithValues: survey.indicators.map { ($0.id, $0.minimum) })
        #expect(try await post(base, "cases/CASE-R/visits", VisitInput(visitedAt: Date(), answers: answers, recordedBy: "ro-1")).status == 200)
        let closed = try await post(base, "cases/CASE-R/closure", ClosureInput(outcome: .partiallyCompleted, recordedBy: "ro-1"))
        #expect(try closed.json()["status"] as? String == "closed")

        var published: [ReceivedEvent] = []
        #expect(await eventually {
            published = await cluster.traffic.published(by: .reintegration)
            return published.count == 7
        })
        #expect(published.map(\.type.name) == ["reintegration.reintegration-opened", "reintegration.plan-approved", "reintegration.assistance-disbursed",
                                               "reintegration.assistance-disbursed", "reintegration.assistance-disbursed", "reintegration.monitoring-recorded",
                                               "reintegration.reintegration-closed"])
        #expect(published.last?.payload(as: ReintegrationClosed.self)?.totalDisbursed == Money(amountMinor: 40_000, currency: "CAD"))
        #expect(published[5].payload(as: MonitoringRecorded.self)?.scores.composite == 0)
        await producer.close()
        await service.child.stop()
    }

    /// The office's own partner directory (`REINTEGRATION_PARTNERS_FILE`); a referral to
    /// one of its partners answered step by step over HTTP, the partner's decline of another
    /// with its reason; the waiting list (here: every referral still `sent`, with
    /// `REINTEGRATION_REFERRAL_WAITING_DAYS=0`).
    @Test func aReferralClosesTheLoopOverHTTP() async throws {
        let directory = try makeWorkDirectory("reint-partners").appendingPathComponent("partners.json")
        try Data("""
            {"partners": [
              {"id": "taller-pereira", "name": "Taller Pereira", "country": "CO", "services": ["vocational-training", "job-placement"], "active": true},
              {"id": "casa-refugio", "name": "Casa Refugio", "country": "CO", "services": ["housing"], "active": true}
            ]}
            """.utf8).write(to: directory)
        let cluster = try TestCluster("reint-referrals")
        let (service, producer) = try await cluster.fedService("reintegration", extra: ["REINTEGRATION_PARTNERS_FILE": directory.path,
                                                                                       "REINTEGRATION_REFERRAL_WAITING_DAYS": "0"])
        let base = service.baseURL
        let id: CaseID = "CASE-F"
        for result in await producer.send([
            try EventTraffic.message(CloudEvent(caseID: id, data: EligibilityDecided(eligible: true, assistance: AssistanceGrant(tier: .full, budget: Money(amountMinor: 50_000, currency: "CAD"))))),
            try EventTraffic.message(CloudEvent(caseID: id, data: ConsentChanged(purpose: .sharingWithReintegrationPartner, granted: true))),
            try EventTraffic.message(CloudEvent(caseID: id, data: Arrived(bookingID: "B-F", arrivedAt: Date().addingTimeInterval(-86_400), arrivalAirport: "PEI",
                                                                          returnCountry: "CO", travellerIDs: ["CASE-F-T1"]))),
        ]) { _ = try result.get() }
        #expect(await eventually { (try? await HTTP.send("GET", base.appendingPathComponent("cases/CASE-F")).json()["status"] as? String) == "open" })

        let partners = try await HTTP.send("GET", base.appendingPathComponent("partners")).json()["partners"] as? [[String: Any]]
        #expect(partners?.compactMap { $0["partnerID"] as? String } == ["taller-pereira", "casa-refugio"])
        let shippedPartner = try await post(base, "cases/CASE-F/referrals", ReferralInput(partnerID: "fundacion-retorno-risaralda", service: .businessStartUp))
        #expect(try shippedPartner.status == 422 && shippedPartner.json()["rule"] as? String == "unknown-partner", "the office's file replaces the shipped one")
        let notOffered = try await post(base, "cases/CASE-F/referrals", ReferralInput(partnerID: "taller-pereira", service: .housing))
        #expect(notOffered.status == 422)
        #expect(try notOffered.json()["field"] as? String == "/service")
        #expect(try notOffered.json()["detail"] as? String == "the partner offers vocational-training, job-placement")

        let sent = try await post(base, "cases/CASE-F/referrals", ReferralInput(partnerID: "taller-pereira", service: .vocationalTraining, note: "welder's course"))
        #expect(sent.status == 200)
        let training = try #require((try sent.json()["referrals"] as? [[String: Any]])?.first?["referralID"] as? String)
        #expect(try await post(base, "cases/CASE-F/referrals", ReferralInput(partnerID: "casa-refugio", service: .housing)).status == 200)
        let waiting = try await HTTP.allPages(base.appendingPathComponent("referrals").appending(queryItems: [.init(name: "limit", value: "1")]),
                                              field: "referrals", base: base)
        #expect(waiting.count == 2 && waiting.first?["referralID"] as? String == training, "oldest first, a page at a time")
        let housing = try #require(waiting.last?["referralID"] as? String)

        let early = try await post(base, "cases/CASE-F/referrals/\(training)/steps", ReferralStepInput(status: .completed))
        #expect(early.status == 409)
        #expect(try early.json()["rule"] as? String == "referral-step-not-allowed" && early.json()["field"] as? String == "/status")
        for status in [ReferralStatus.accepted, .inProgress, .completed] {
            #expect(try await post(base, "cases/CASE-F/referrals/\(training)/steps", ReferralStepInput(status: status)).status == 200)
        }
        let noReason = try await post(base, "cases/CASE-F/referrals/\(housing)/steps", ReferralStepInput(status: .declined))
        #expect(try noReason.status == 422 && noReason.json()["rule"] as? String == "reason-missing")
        let declined = try await post(base, "cases/CASE-F/referrals/\(housing)/steps", ReferralStepInput(status: .declined, reason: "no room until March"))
        let referrals = try #require(try declined.json()["referrals"] as? [[String: Any]])
        #expect(referrals.map { $0["status"] as? String } == ["completed", "declined"])
        let steps = try #require(referrals.first?["steps"] as? [[String: Any]])
        #expect(steps.map { $0["status"] as? String } == ["sent", "accepted", "in-progress", "completed"])
        #expect(steps.allSatisfy { $0["by"] as? String == "test-staff" && $0["at"] is String }, "dated, and by the token's subject")
        #expect(((referrals.last?["steps"] as? [[String: Any]])?.last?["reason"]) as? String == "no room until March")
        let answered = try await HTTP.send("GET", base.appendingPathComponent("referrals")).json()
        #expect((answered["referrals"] as? [Any])?.isEmpty == true, "answered referrals wait no longer")
        let other = try await HTTP.send("GET", base.appendingPathComponent("referrals").appending(queryItems: [.init(name: "list", value: "overdue")]))
        #expect(try other.status == 400 && other.json()["field"] as? String == "list")
        await producer.close()
        await service.child.stop()
    }

    /// A supervisor's partner, saved on one replica, is in the directory of every replica:
    /// one started afterwards reads it from the partners topic's start, and a change made
    /// there reaches the first.
    @Test func aPartnerSavedOnOneReplicaIsSeenByEveryReplica() async throws {
        let cluster = try TestCluster("reint-partners")
        let first = try await cluster.readyService("reintegration")
        func partners(_ service: ServiceProcess) async throws -> [[String: Any]] {
            try await HTTP.send("GET", service.baseURL.appendingPathComponent("partners")).json()["partners"] as? [[String: Any]] ?? []
        }
        func save(_ service: ServiceProcess, _ input: PartnerInput) async throws -> HTTP.Reply {
            try await post(service.baseURL, "partners/taller-pereira", input, method: "PUT")
        }
        let taller = PartnerInput(name: "Taller Pereira", country: "CO", services: [.vocationalTraining, .jobPlacement], active: true)
        let saved = try await save(first, taller)
        #expect(saved.status == 200)
        #expect(try saved.json()["changedBy"] as? String == "test-staff" && saved.json()["changedAt"] is String, "by the token's subject, dated")
        #expect(try await partners(first).last?["partnerID"] as? String == "taller-pereira", "read back before the answer")
        var bad = taller
        bad.country = "Colombia"
        let refused = try await save(first, bad)
        #expect(try refused.status == 422 && refused.json()["rule"] as? String == "invalid-partner" && refused.json()["field"] as? String == "/country")
        let named = try await HTTP.send("PUT", first.baseURL.appendingPathComponent("partners/taller-pereira"),
                                        body: Data(#"{"name": "T", "country": "CO", "services": ["housing"], "active": true, "recordedBy": "sup-9"}"#.utf8))
        #expect(try named.json()["rule"] as? String == "actor-from-token")

        let second = try ServiceProcess("reintegration", bootstrap: cluster.bootstrap, directory: try makeWorkDirectory("reint-partners-2"))
        try await second.waitUntilReady()
        #expect(await eventually { (try? await partners(second))?.contains { $0["partnerID"] as? String == "taller-pereira" } == true },
                "a replica started later reads the topic from its start")
        var closed = taller
        closed.active = false
        #expect(try await save(second, closed).status == 200)
        #expect(await eventually {
            (try? await partners(first))?.first { $0["partnerID"] as? String == "taller-pereira" }?["active"] as? Bool == false
        }, "the first replica follows the change")
        #expect(try await partners(first).count == ReintegrationWorkflowTests.partners.partners.count + 1, "the configured partners, and the one added")
        await second.child.stop()
        await first.child.stop()
    }

    /// Fake travel publishes a confirmation, a rebooking and the arrival: the case is
    /// expected on its work list, the officer records reception before the arrival, and the
    /// case opens on arrival with it.
    @Test func aConfirmedBookingIsExpectedWithItsReceptionUntilTheArrival() async throws {
        let cluster = try TestCluster("reint-expected")
        let (service, producer) = try await cluster.fedService("reintegration")
        let base = service.baseURL
        let id: CaseID = "CASE-E"
        let landing = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 3 * 86_400).rounded())  // whole seconds: the same instant in the event and the view
        func confirmed(_ booking: BookingID, flight: String, arriving: Date) throws -> OutgoingMessage {
            try EventTraffic.message(CloudEvent(caseID: id, data: BookingConfirmed(bookingID: booking, travellerIDs: ["CASE-E-T1"], departureAt: arriving.addingTimeInterval(-9 * 3_600),
                                                                                   arrivalAt: arriving, arrivalAirport: "MDE", arrivalFlightNumber: flight)))
        }
        func shown() async throws -> [String: Any] { try await HTTP.send("GET", base.appendingPathComponent("cases/CASE-E")).json() }
        for result in await producer.send([
            try EventTraffic.message(CloudEvent(caseID: id, data: EligibilityDecided(eligible: true, assistance: AssistanceGrant(tier: .full, budget: Money(amountMinor: 50_000, currency: "CAD"))))),
            try confirmed("B-E1", flight: "AV205", arriving: landing),
        ]) { _ = try result.get() }
        #expect(await eventually { (try? await shown())?["status"] as? String == "expected" })
        let expected = try await HTTP.send("GET", base.appendingPathComponent("cases").appending(queryItems: [.init(name: "list", value: "expected")])).json()
        let line = try #require((expected["cases"] as? [[String: Any]])?.first)
        #expect(line["caseID"] as? String == "CASE-E")
        #expect((line["expectedArrival"] as? [String: Any])?["flightNumber"] as? String == "AV205")
        #expect((line["expectedArrival"] as? [String: Any])?["arrivalAt"] as? String == Instant.format(landing))

        let unknown = try await HTTP.send("PUT", base.appendingPathComponent("cases/CASE-E/reception"), body: Data(#"{"needs": ["escort", "helicopter"]}"#.utf8))
        #expect(unknown.status == 422)
        #expect(try unknown.json()["rule"] as? String == "invalid-value")
        #expect(try unknown.json()["field"] as? String == "/needs/1")
        #expect(try unknown.json()["detail"] as? String == "one of: airport-pickup, escort, temporary-accommodation")
        let recorded = try await post(base, "cases/CASE-E/reception", ReceptionInput(needs: [.airportPickup, .escort], note: "meet at the arrivals exit"), method: "PUT")
        #expect(recorded.status == 200)
        #expect((try recorded.json()["reception"] as? [String: Any])?["needs"] as? [String] == ["airport-pickup", "escort"])
        // The handover to the partner waits for consent to share with it.
        let handover = base.appendingPathComponent("cases/CASE-E/partner-handover")
        let withheld = try await HTTP.send("GET", handover).json()
        #expect(withheld["rule"] as? String == "consent-missing" && withheld["missing"] as? [String] == ["sharing-with-reintegration-partner"])
        _ = try await producer.send(EventTraffic.message(CloudEvent(caseID: id, data: ConsentChanged(purpose: .sharingWithReintegrationPartner, granted: true))))
        #expect(await eventually { (try? await HTTP.send("GET", handover).json()["reception"] as? [String: Any])?["note"] as? String == "meet at the arrivals exit" })

        // A rebooking: the held booking cancelled as rebooked, then the new one confirmed.
        for result in await producer.send([
            try EventTraffic.message(CloudEvent(caseID: id, data: BookingCancelled(bookingID: "B-E1", reason: .rebooked))),
            try confirmed("B-E2", flight: "AV207", arriving: landing.addingTimeInterval(86_400)),
        ]) { _ = try result.get() }
        #expect(await eventually { ((try? await shown())?["expectedArrival"] as? [String: Any])?["bookingID"] as? String == "B-E2" })

        for result in await producer.send([
            try EventTraffic.message(CloudEvent(caseID: id, data: Arrived(bookingID: "B-E2", arrivedAt: Date().addingTimeInterval(-3_600), arrivalAirport: "MDE",
                                                                          returnCountry: "CO", travellerIDs: ["CASE-E-T1"]))),
        ]) { _ = try result.get() }
        #expect(await eventually { (try? await shown())?["status"] as? String == "open" })
        let opened = try await shown()
        #expect(opened["expectedArrival"] == nil)
        #expect((opened["reception"] as? [String: Any])?["note"] as? String == "meet at the arrivals exit", "kept on arrival")
        let refused = try await post(base, "cases/CASE-X/reception", ReceptionInput(needs: []), method: "PUT")
        #expect(refused.status == 404)
        await producer.close()
        await service.child.stop()
    }
}
