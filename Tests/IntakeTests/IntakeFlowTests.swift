import Foundation
import HomewardModel
@testable import Intake
import Kafka
import TestSupport
import Testing

/// The intake executable against the embedded broker, driven over HTTP as a caseworker's
/// tools drive it, with fake health, travel and reintegration services publishing events.
@Suite("Intake over HTTP", .serialized)
struct IntakeFlowTests {
    static let encoder = EventCoding.encoder()

    @Test func aCaseRunsFromReferralToClosureInItsTimeline() async throws {
        let cluster = try TestCluster("intake-flow")
        let intake = try await cluster.readyService("intake")
        let base = intake.baseURL

        // Register, twice with one key: one case.
        let body = try Self.encoder.encode(IntakeFixtures.referral())
        let created = try await HTTP.send("POST", base.appendingPathComponent("cases"), body: body, headers: ["Idempotency-Key": "ref-1"])
        #expect(created.status == 201)
        let caseID = try #require(try created.json()["caseID"] as? String)
        #expect(created.headers["location"] == "/cases/\(caseID)")
        let again = try await HTTP.send("POST", base.appendingPathComponent("cases"), body: body, headers: ["Idempotency-Key": "ref-1"])
        #expect(try again.json()["caseID"] as? String == caseID)

        // The pilot's declaration waits for a counselling session.
        let early = try await HTTP.send("POST", base.appendingPathComponent("cases/\(caseID)/declaration"), body: Data(#"{}"#.utf8))
        #expect(early.status == 409)
        #expect(try early.json()["rule"] as? String == "counselling-required")
        let counselling = base.appendingPathComponent("cases/\(caseID)/counselling")
        let badTopic = try await HTTP.send("POST", counselling, body: Data(
            #"{"mode":"in-person","language":"es","interpreter":false,"topics":["voluntariness","weather"],"outcome":"wishes-to-return"}"#.utf8))
        #expect(badTopic.status == 422)
        #expect(try badTopic.json()["field"] as? String == "/topics/1")
        let counselled = try await HTTP.send("POST", counselling, body: Data(
            #"{"mode":"in-person","language":"es","interpreter":true,"topics":["voluntariness"],"outcome":"wishes-to-return","notes":"asked about school"}"#.utf8))
        #expect(counselled.status == 200)
        let sessions = try counselled.json()["counselling"] as? [[String: Any]] ?? []
        #expect(sessions.first?["outcome"] as? String == "wishes-to-return")
        #expect(sessions.first?["notes"] as? String == "asked about school")
        #expect(sessions.first?["counsellor"] as? String == "test-staff", "the caller, from the token")
        // A caseworker's second session, from the command line.
        let cli = try ChildProcess("homeward", arguments: ["counsel", caseID, "--intake", base.absoluteString, "--mode", "phone", "--language", "es",
                                                           "--topic", "documents", "--topic", "travel-day", "--outcome", "undecided"],
                                   environment: [:], logDirectory: cluster.directory)
        #expect(await cli.waitForExit() != 0, "travel-day is an orientation topic")
        #expect(cli.log.contains("not one of return-options"), "\(cli.log)")
        let counsel = try ChildProcess("homeward", arguments: ["counsel", caseID, "--intake", base.absoluteString, "--mode", "phone", "--language", "es",
                                                               "--interpreter", "--topic", "documents", "--outcome", "undecided"],
                                       environment: [:], logDirectory: cluster.directory)
        #expect(await counsel.waitForExit() == 0)
        #expect(counsel.log.contains("Case \(caseID): 2 counselling sessions recorded"), "\(counsel.log)")
        // And the signed declaration it requires before screening.
        #expect(try await DocumentSamples.upload(base, case: caseID, kind: "signed-declaration", content: DocumentSamples.pdf()).status == 201)
        let declared = try await HTTP.send("POST", base.appendingPathComponent("cases/\(caseID)/declaration"),
                                           body: Data(#"{}"#.utf8))
        #expect(declared.status == 200)
        #expect(try declared.json()["stage"] as? String == "screening")
        // The mother's pre-departure orientation (the pilot orients travellers 12 and older).
        let orientation = Data(#"{"language":"es","interpreter":false,"topics":["arrival-procedures","contacts"]}"#.utf8)
        let oriented = try await HTTP.send("POST", base.appendingPathComponent("cases/\(caseID)/travellers/\(caseID)-T1/orientation"), body: orientation)
        #expect(oriented.status == 200)
        let travellers = try oriented.json()["travellers"] as? [[String: Any]] ?? []
        #expect((travellers.first?["orientation"] as? [String: Any])?["topics"] as? [String] == ["arrival-procedures", "contacts"])
        #expect(travellers.last?["orientation"] == nil)
        let stranger = try await HTTP.send("POST", base.appendingPathComponent("cases/\(caseID)/travellers/HW-other-T1/orientation"), body: orientation)
        #expect(stranger.status == 404)
        #expect(try stranger.json()["rule"] as? String == "unknown-traveller")

        // Intake's events, keyed by the case id, in order.
        let registry = EventRegistry(EventCatalogue.published(by: .intake))
        #expect(await eventually {
            ((try? await cluster.traffic.readAll(ServiceName.intake.topic)) ?? []).count >= 6
        })
        let published = try await cluster.traffic.readAll(ServiceName.intake.topic)
        #expect(published.allSatisfy { $0.keyString == caseID })
        #expect(try published.compactMap { try registry.decode($0.value, key: $0.keyString)?.type.name }
                == ["intake.case-registered", "intake.consent-changed", "intake.eligibility-decided", "intake.ready-for-screening",
                    "intake.orientation-required", "intake.orientation-recorded"])
        let (status, output) = try checkAgainstEventSchemas(published.map(\.value))
        #expect(status == 0, "published events break their schemas: \(output)")

        // The other services answer through events.
        let t1 = TravellerID("\(caseID)-T1"), t2 = TravellerID("\(caseID)-T2")
        let id = CaseID(caseID)
        // One step a minute, so the timeline's order (by time) is known.
        let start = Date().addingTimeInterval(1)
        var minute = 0.0
        var now: Date { start.addingTimeInterval(minute * 60) }
        let producer = try cluster.traffic.makeProducer()
        let budget = Money(amountMinor: 200_000, currency: "CAD")
        var messages: [OutgoingMessage] = []
        func add<P: EventPayload>(_ payload: P) throws {
            messages.append(try EventTraffic.message(CloudEvent(caseID: id, time: now, data: payload)))
            minute += 1
        }
        try add(ScreeningOpened(travellerID: t1, kind: .initial))
        try add(ScreeningOpened(travellerID: t2, kind: .initial))
        try add(ClearanceIssued(travellerID: t1, outcome: .cleared, travelRequirements: [], validFrom: now, validUntil: now.addingTimeInterval(86_400 * 90)))
        try add(ClearanceIssued(travellerID: t2, outcome: .clearedWithRequirements, travelRequirements: [.nonMedicalEscort],
                                validFrom: now, validUntil: now.addingTimeInterval(86_400 * 90)))
        try add(BookingConfirmed(bookingID: "B-1", travellerIDs: [t1, t2], departureAt: now, arrivalAt: now.addingTimeInterval(36_000),
                                 arrivalAirport: "BOG", arrivalFlightNumber: "AV205"))
        try add(Departed(bookingID: "B-1", departedAt: now, travellerIDs: [t1, t2], noShowTravellerIDs: []))
        try add(Arrived(bookingID: "B-1", arrivedAt: now, arrivalAirport: "BOG", returnCountry: "CO", travellerIDs: [t1, t2]))
        try add(ReintegrationOpened(budget: budget))
        try add(ReintegrationClosed(outcome: .completed, totalDisbursed: budget))
        for result in await producer.send(messages) { _ = try result.get() }

        var view: [String: Any] = [:]
        #expect(await eventually {
            view = (try? await HTTP.send("GET", base.appendingPathComponent("cases/\(caseID)")).json()) ?? [:]
            return view["status"] as? String == "closed"
        })
        let steps = (view["timeline"] as? [[String: Any]] ?? []).compactMap { $0["step"] as? String }
        #expect(steps.suffix(9) == ["screening-opened", "screening-opened", "cleared", "cleared", "booked", "departed", "arrived",
                                    "reintegration-opened", "closed"])
        let actors = Set((view["timeline"] as? [[String: Any]] ?? []).compactMap { $0["actor"] as? String })
        #expect(actors == ["intake", "health-screening", "travel-booking", "reintegration"])

        // After departure the person can no longer withdraw.
        let withdrawal = try await HTTP.send("POST", base.appendingPathComponent("cases/\(caseID)/withdrawal"), body: Data(#"{}"#.utf8))
        #expect(withdrawal.status == 409)

        // Her record corrected after the return: found by the new name, no longer by the old,
        // the fields named on the timeline, the request in the audit trail.
        let traveller = base.appendingPathComponent("cases/\(caseID)/travellers/\(t1)")
        let corrected = try await HTTP.send("PATCH", traveller, body: Data(#"{"givenName":"Mariana"}"#.utf8))
        #expect(corrected.status == 200)
        #expect((try corrected.json()["timeline"] as? [[String: Any]] ?? []).contains { $0["outcome"] as? String == "\(t1): givenName corrected by test-staff" })
        let misnamed = try await HTTP.send("PATCH", traveller, body: Data(#"{"middleName":"Ana"}"#.utf8))
        #expect(misnamed.status == 422)
        #expect(try misnamed.json()["field"] as? String == "/middleName")
        for (name, total) in [("Mariana", 1), ("Maria", 0)] {
            let found = try await HTTP.send("GET", base.appendingPathComponent("cases").appending(queryItems: [.init(name: "givenName", value: name)]))
            #expect(try found.json()["total"] as? Int == total, "\(name)")
        }
        let audit = try await HTTP.send("GET", base.appendingPathComponent("audit").appending(queryItems: [.init(name: "case", value: caseID)])).json()
        #expect((audit["entries"] as? [[String: Any]] ?? []).contains {
            $0["action"] as? String == "PATCH /cases/:caseID/travellers/:travellerID" && $0["outcome"] as? Int == 200
        })

        // The 5W report, in R4V's template as the shipped pilot office configuration fills
        // it: the two persons once per subsector, new this month, a woman and a boy (born 2011).
        let month = String(Instant.format(Date()).prefix(7))
        var components = URLComponents(url: base.appendingPathComponent("reports/5w"), resolvingAgainstBaseURL: false)!
        components.queryItems = [.init(name: "from", value: month), .init(name: "to", value: month), .init(name: "format", value: "csv")]
        let csv = try await HTTP.send("GET", components.url!)
        #expect(csv.status == 200)
        #expect(csv.headers["content-type"]?.hasPrefix("text/csv") == true)
        let lines = csv.text.split(separator: "\n").map(String.init)
        #expect(lines.first == FiveWReport.templateColumns.joined(separator: ","))
        #expect(lines.count == 4)
        #expect(lines.dropFirst().map { $0.contains(",Health,# of people receiving health services,Pre-departure medical screening,") }
                == [true, false, false])
        #expect(lines.last?.contains(",Integration,# of people receiving reintegration assistance,In-kind reintegration assistance after arrival,") == true)
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix(#"Colombia,"Bogotá, D.C.","Bogotá, D.C.",IOM,Direct,IOM,\#(month),"#)
                                               && $0.hasSuffix(",Yes,No,,,,2,2,0,0,0,0,2,0,1,1,0,0,0") }, "\(lines)")
        components.queryItems = [.init(name: "from", value: month), .init(name: "to", value: month)]
        let json = try await HTTP.send("GET", components.url!).json()
        #expect((json["totals"] as? [[String: Any]])?.last?["persons"] as? Int == 2)

        // The list finds it by filters.
        components = URLComponents(url: base.appendingPathComponent("cases"), resolvingAgainstBaseURL: false)!
        components.queryItems = [.init(name: "status", value: "closed"), .init(name: "returnCountry", value: "CO")]
        let list = try await HTTP.send("GET", components.url!)
        #expect(try list.json()["total"] as? Int == 1)
        // A country code in lower case finds the same; a misspelt filter is refused, not ignored.
        components.queryItems = [.init(name: "status", value: "closed"), .init(name: "returnCountry", value: "co")]
        #expect(try await HTTP.send("GET", components.url!).json()["total"] as? Int == 1)
        components.queryItems = [.init(name: "stauts", value: "closed")]
        let misspelt = try await HTTP.send("GET", components.url!)
        #expect(misspelt.status == 400)
        #expect(try misspelt.json()["rule"] as? String == "unknown-query-parameter")
        #expect(try misspelt.json()["field"] as? String == "stauts")

        await producer.close()
        await intake.child.stop()
        #expect(intake.child.process.terminationStatus == 0)
    }

    @Test func aFiveWReportThatBreaksAQualityRuleIsRefusedNamingTheRowAndTheRule() async throws {
        // An office whose configuration maps no city in Colombia: the case's Bogotá has no Admin1.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("5w-\(UUID().uuidString).json")
        var configuration = try JSONSerialization.jsonObject(with: Data(contentsOf: FiveWConfigurationTests.shipped)) as! [String: Any]
        configuration["countries"] = ["CO": ["name": "Colombia", "cities": [String: Any]()]]
        try JSONSerialization.data(withJSONObject: configuration).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let cluster = try TestCluster("intake-5w")
        let (intake, producer) = try await cluster.fedService("intake", extra: ["INTAKE_REPORT_FIVEW_FILE": file.path])
        let base = intake.baseURL

        let created = try await HTTP.send("POST", base.appendingPathComponent("cases"), body: try Self.encoder.encode(IntakeFixtures.referral()))
        let caseID = try #require(try created.json()["caseID"] as? String)
        try await IntakeFixtures.prepareDeclaration(base, case: caseID)
        #expect(try await HTTP.send("POST", base.appendingPathComponent("cases/\(caseID)/declaration"), body: Data(#"{}"#.utf8)).status == 200)
        let message = try EventTraffic.message(CloudEvent(caseID: CaseID(caseID), time: Date(),
                                                          data: ScreeningOpened(travellerID: TravellerID("\(caseID)-T1"), kind: .initial)))
        for result in await producer.send([message]) { _ = try result.get() }

        let month = String(Instant.format(Date()).prefix(7))
        var components = URLComponents(url: base.appendingPathComponent("reports/5w"), resolvingAgainstBaseURL: false)!
        components.queryItems = [.init(name: "from", value: month), .init(name: "to", value: month), .init(name: "format", value: "csv")]
        var refused = try await HTTP.send("GET", components.url!)
        #expect(await eventually {
            refused = (try? await HTTP.send("GET", components.url!)) ?? refused
            return refused.status == 422
        })
        #expect(refused.headers["content-type"] == "application/problem+json" && refused.headers["content-disposition"] == nil, "no file")
        let problem = try refused.json()
        #expect(problem["rule"] as? String == "admin1-required")
        #expect(problem["field"] as? String == "/rows/0/admin1")
        let detail = try #require(problem["detail"] as? String)
        #expect(detail.hasPrefix("row 1 (\(month), Colombia, no Admin1, Health,") && detail.contains("countries.CO.cities"), "\(detail)")
        #expect(!detail.contains("Maria") && !detail.contains("Lopez"), "no personal value")

        await producer.close()
        await intake.child.stop()
    }

    @Test func badRequestsGetProblemDocumentsAndWriteNothing() async throws {
        let cluster = try TestCluster("intake-bad")
        let intake = try await cluster.readyService("intake")
        let cases = intake.baseURL.appendingPathComponent("cases")

        var object = try JSONSerialization.jsonObject(with: Self.encoder.encode(IntakeFixtures.referral())) as! [String: Any]
        var principal = object["principal"] as! [String: Any]
        principal.removeValue(forKey: "dateOfBirth")
        object["principal"] = principal
        let missing = try await HTTP.send("POST", cases, body: try JSONSerialization.data(withJSONObject: object))
        #expect(missing.status == 422)
        #expect(missing.headers["content-type"] == "application/problem+json")
        #expect(try missing.json()["field"] as? String == "/principal/dateOfBirth")
        #expect(try missing.json()["rule"] as? String == "required")

        principal["dateOfBirth"] = "1985-02-30"
        object["principal"] = principal
        let impossible = try await HTTP.send("POST", cases, body: try JSONSerialization.data(withJSONObject: object))
        #expect(impossible.status == 422)
        #expect(try impossible.json()["field"] as? String == "/principal/dateOfBirth")
        #expect(!impossible.text.contains("1985-02-30"), "the value is not echoed")

        // A name outside a closed set is refused with the names allowed, not the one sent.
        principal["dateOfBirth"] = "1985-02-03"
        principal["sex"] = "unspecified-x"
        object["principal"] = principal
        let unknownName = try await HTTP.send("POST", cases, body: try JSONSerialization.data(withJSONObject: object))
        #expect(unknownName.status == 422)
        #expect(try unknownName.json()["rule"] as? String == "invalid-value")
        #expect(try unknownName.json()["field"] as? String == "/principal/sex")
        #expect(try unknownName.json()["detail"] as? String == "one of: female, male, other")
        #expect(!unknownName.text.contains("unspecified-x"))

        let malformed = try await HTTP.send("POST", cases, body: Data("{\"programmeID\": ".utf8))
        #expect(malformed.status == 400)
        #expect(try malformed.json()["rule"] as? String == "malformed-json")

        let tooLarge = try await HTTP.send("POST", cases, body: Data(repeating: 0x20, count: 2 << 20))
        #expect(tooLarge.status == 413)

        let deep = try await HTTP.send("POST", cases, body: Data(("{\"notes\": " + String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000) + "}").utf8))
        #expect(deep.status == 400)
        #expect(try deep.json()["rule"] as? String == "body-too-deep")

        let unknown = try await HTTP.send("GET", cases.appendingPathComponent("HW-nobody"))
        #expect(unknown.status == 404)
        #expect(try unknown.json()["rule"] as? String == "unknown-case")

        var query = URLComponents(url: cases, resolvingAgainstBaseURL: false)!
        query.queryItems = [.init(name: "status", value: "sleeping")]
        #expect(try await HTTP.send("GET", query.url!).status == 400)

        #expect(try await HTTP.send("GET", cases).json()["total"] as? Int == 0, "nothing was written")
        let document = try await HTTP.send("GET", intake.baseURL.appendingPathComponent("openapi.yaml"))
        #expect(document.status == 200 && document.text.hasPrefix("openapi: 3.1"))
        await intake.child.stop()
    }

    @Test func aPossibleDuplicateIsAWarningForCaseworkersOnly() async throws {
        let cluster = try TestCluster("intake-duplicates")
        let intake = try await cluster.readyService("intake")
        let cases = intake.baseURL.appendingPathComponent("cases")

        let first = try await HTTP.send("POST", cases, body: try Self.encoder.encode(IntakeFixtures.referral()))
        #expect(first.status == 201)
        #expect(try first.json()["possibleDuplicates"] as? [String] == [], "looked for, none")
        let firstID = try #require(try first.json()["caseID"] as? String)

        // The same mother, names swapped and accented: registered all the same, with the warning.
        var referral = IntakeFixtures.referral()
        (referral.principal.givenName, referral.principal.familyName) = ("LÓPEZ", "María")
        referral.dependants = []
        let body = try Self.encoder.encode(referral)
        let second = try await HTTP.send("POST", cases, body: body, headers: ["Idempotency-Key": "dup-2"])
        #expect(second.status == 201)
        #expect(try second.json()["possibleDuplicates"] as? [String] == [firstID])
        let secondID = try #require(try second.json()["caseID"] as? String)
        let replayed = try await HTTP.send("POST", cases, body: body, headers: ["Idempotency-Key": "dup-2"])
        #expect(replayed.headers["idempotent-replayed"] == "true")
        #expect(try replayed.json()["possibleDuplicates"] as? [String] == [firstID])
        #expect(try await HTTP.send("GET", cases.appendingPathComponent(secondID)).json()["possibleDuplicates"] == nil, "only at registration")

        let asked = try await HTTP.send("GET", cases.appendingPathComponent("\(secondID)/possible-duplicates"))
        #expect(asked.status == 200)
        #expect(try asked.json()["caseID"] as? String == secondID)
        #expect(try asked.json()["possibleDuplicates"] as? [String] == [firstID])
        let supervisor = ["Authorization": "Bearer " + (try await TestAccess.token([.supervisor], subject: "sv-1"))]
        let refused = try await HTTP.send("GET", cases.appendingPathComponent("\(secondID)/possible-duplicates"), headers: supervisor)
        #expect(refused.status == 403)
        #expect(try refused.json()["rule"] as? String == "role-required")
        #expect(try await HTTP.send("GET", cases.appendingPathComponent("HW-nobody/possible-duplicates")).status == 404)

        // Once the first case has ended it is no one's duplicate.
        #expect(try await HTTP.send("POST", cases.appendingPathComponent("\(firstID)/withdrawal"), body: Data("{}".utf8)).status == 200)
        #expect(try await HTTP.send("GET", cases.appendingPathComponent("\(secondID)/possible-duplicates")).json()["possibleDuplicates"] as? [String] == [])
        await intake.child.stop()
    }
}
