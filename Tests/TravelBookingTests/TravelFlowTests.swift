import Foundation
import HomewardModel
import Kafka
import TestSupport
@testable import TravelBooking
import Testing
import TravelBookingAPI

@Suite("Travel booking over HTTP", .serialized)
struct TravelFlowTests {
    static let encoder = EventCoding.encoder()

    /// Local times `days` from now in a zone, as "YYYY-MM-DDTHH:MM".
    static func local(days: Int, _ time: String, in zone: String) -> String {
        let day = LocalDate.containing(Date().addingTimeInterval(Double(days) * 86_400), in: TimeZone(identifier: zone)!)
        return "\(day)T\(time)"
    }

    static func itinerary(days: Int) -> [SegmentInput] {
        [SegmentInput(flightNumber: "AC96", from: "YYZ", to: "BOG", departsLocal: local(days: days, "09:00", in: "America/Toronto"),
                      departureTimeZone: "America/Toronto", arrivesLocal: local(days: days, "14:30", in: "America/Bogota"),
                      arrivalTimeZone: "America/Bogota", transitAssistance: nil)]
    }

    func post<T: Encodable>(_ base: URL, _ path: String, _ body: T) async throws -> HTTP.Reply {
        try await HTTP.send("POST", base.appendingPathComponent(path), body: try Self.encoder.encode(body))
    }

    /// The case ids (or booking ids) on one of the movement officers' work lists.
    func workList(_ base: URL, _ list: String, bookings: Bool = false) async throws -> [String] {
        let reply = try await HTTP.send("GET", base.appendingPathComponent("cases").appending(queryItems: [.init(name: "list", value: list)]))
        #expect(reply.status == 200, "\(reply.text)")
        return (try reply.json()["cases"] as? [[String: Any]] ?? []).compactMap { $0[bookings ? "bookingID" : "caseID"] as? String }
    }

    /// Fake intake and health services publish; a movement officer books, confirms, departs
    /// and records the arrival.
    @Test func aFamilyIsBookedConfirmedAndArrivesWithItsRequirements() async throws {
        let cluster = try TestCluster("travel-flow")
        let (travel, producer) = try await cluster.fedService("travel-booking")
        let base = travel.baseURL
        let id: CaseID = "CASE-F"
        let t1: TravellerID = "CASE-F-T1", t2: TravellerID = "CASE-F-T2"
        var messages = [
            try EventTraffic.message(CloudEvent(caseID: id, data: CaseRegistered(programmeID: "generic-avrr", travellers: [
                .init(travellerID: t1, familyRole: .principal, travelDocumentStatus: .valid),
                .init(travellerID: t2, familyRole: .parent, travelDocumentStatus: .valid)], returnCountry: "CO", returnCity: "Cali"))),
            try EventTraffic.message(CloudEvent(caseID: id, data: EligibilityDecided(eligible: true, reasons: [],
                assistance: AssistanceGrant(tier: .full, budget: Money(amountMinor: 150_000, currency: "EUR")), targetDepartureBy: Date().addingTimeInterval(30 * 86_400)))),
            try EventTraffic.message(CloudEvent(caseID: id, data: ReadyForScreening(travellers: [.init(travellerID: t1, ageYears: 40, sex: .female),
                                                                                                  .init(travellerID: t2, ageYears: 78, sex: .male)]))),
        ]
        let validFrom = Date().addingTimeInterval(-86_400), validUntil = Date().addingTimeInterval(200 * 86_400)
        messages.append(try EventTraffic.message(CloudEvent(caseID: id, data: ClearanceIssued(travellerID: t1, outcome: .cleared, travelRequirements: [],
                                                                                              validFrom: validFrom, validUntil: validUntil))))
        messages.append(try EventTraffic.message(CloudEvent(caseID: id, data: ClearanceIssued(travellerID: t2, outcome: .clearedWithRequirements,
                                                                                              travelRequirements: [.wheelchair, .nonMedicalEscort], validFrom: validFrom, validUntil: validUntil))))
        for result in await producer.send(messages) { _ = try result.get() }
        #expect(await eventually { (try? await HTTP.send("GET", base.appendingPathComponent("cases/CASE-F")).json()["bookable"] as? Bool) == true })
        let travellers = try await HTTP.send("GET", base.appendingPathComponent("cases/CASE-F")).json()["travellers"] as? [[String: Any]] ?? []
        #expect(travellers.compactMap { $0["travelDocumentStatus"] as? String } == ["valid", "valid"], "one name for the document status in every service")
        #expect(try await workList(base, "bookable") == ["CASE-F"])
        let unknownList = try await HTTP.send("GET", base.appendingPathComponent("cases").appending(queryItems: [.init(name: "list", value: "ready")]))
        #expect(try unknownList.status == 400 && unknownList.json()["field"] as? String == "list")

        // Bad input first: nothing is written.
        var bad = Self.itinerary(days: 10)
        bad[0].from = "YZ"
        let refused = try await post(base, "cases/CASE-F/bookings", BookingRequest(travellerIDs: [t1, t2], segments: bad, recordedBy: "mo"))
        #expect(refused.status == 422)
        #expect(try refused.json()["rule"] as? String == "airport-code")
        #expect(try refused.json()["field"] as? String == "/segments/0/from")

        // The person withdraws consent to processing: no proposal until it is given again.
        _ = try await producer.send(EventTraffic.message(CloudEvent(caseID: id, data: ConsentChanged(purpose: .processing, granted: false))))
        #expect(await eventually {
            (try? await HTTP.send("GET", base.appendingPathComponent("cases/CASE-F")).json()["notBookableBecause"] as? [String]) == ["the person withdrew consent to processing"]
        })
        let withheld = try await post(base, "cases/CASE-F/bookings", BookingRequest(travellerIDs: [t1, t2], segments: Self.itinerary(days: 10))).json()
        #expect(withheld["status"] as? Int == 409 && withheld["missing"] as? [String] == ["processing"], "\(withheld)")
        _ = try await producer.send(EventTraffic.message(CloudEvent(caseID: id, data: ConsentChanged(purpose: .processing, granted: true))))
        #expect(await eventually { (try? await HTTP.send("GET", base.appendingPathComponent("cases/CASE-F")).json()["bookable"] as? Bool) == true })

        // Proposed with an Idempotency-Key: a retry gets the same booking, not a second one.
        let proposal = try Self.encoder.encode(BookingRequest(travellerIDs: [t1, t2], segments: Self.itinerary(days: 10), recordedBy: "mo"))
        let created = try await HTTP.send("POST", base.appendingPathComponent("cases/CASE-F/bookings"), body: proposal, headers: ["Idempotency-Key": "propose-1"])
        #expect(created.status == 201)
        let booking = try #require(try created.json()["bookingID"] as? String)
        let again = try await HTTP.send("POST", base.appendingPathComponent("cases/CASE-F/bookings"), body: proposal, headers: ["Idempotency-Key": "propose-1"])
        #expect(again.status == 201 && again.headers["idempotent-replayed"] == "true")
        #expect(again.headers["location"] == "/bookings/\(booking)")
        #expect(try again.json()["bookingID"] as? String == booking)
        let items = try created.json()["items"] as? [[String: Any]] ?? []
        #expect(items.compactMap { $0["code"] as? String } == ["WCHR"])
        #expect(items.compactMap { $0["escort"] as? String } == ["operational"])
        #expect(try await workList(base, "proposed", bookings: true) == [booking])
        #expect(try await workList(base, "bookable").isEmpty, "a case with a proposed booking is not bookable again")
        #expect(try await post(base, "bookings/\(booking)/confirmation", ConfirmationInput(recordedBy: "mo")).status == 200)
        #expect(try await workList(base, "confirmed", bookings: true) == [booking])

        // The manifest of that flight, as CSV.
        let day = Self.local(days: 10, "09:00", in: "America/Toronto").prefix(10)
        var components = URLComponents(url: base.appendingPathComponent("manifests/AC96"), resolvingAgainstBaseURL: false)!
        components.queryItems = [.init(name: "date", value: String(day)), .init(name: "format", value: "csv")]
        let manifest = try await HTTP.send("GET", components.url!)
        #expect(manifest.text.split(separator: "\n").count == 3)
        #expect(manifest.text.contains("CASE-F-T2,parent,YYZ,BOG"))
        #expect(manifest.text.contains("WCHR,operational,consent,"))
        // As JSON, what the airline receives: its allow-list and nothing else.
        components.queryItems = [.init(name: "date", value: String(day))]
        let sent = try JSONSerialization.jsonObject(with: try await HTTP.send("GET", components.url!).body)
        #expect(Dataset.paths(of: sent).isSubset(of: Recipient.airline.dataset) && Dataset.paths(of: sent).contains("passengers.itemsBasis"))

        // Departure needs each traveller's passed pre-embarkation check, once.
        let departure = DepartureInput(boarded: [t1, t2], recordedBy: "mo")
        #expect(try await post(base, "bookings/\(booking)/departure", departure).status == 409)
        for t in [t1, t2] {
            _ = try await producer.send(EventTraffic.message(CloudEvent(caseID: id, data: PreEmbarkationCheckDone(
                travellerID: t, bookingID: BookingID(booking), outcome: .cleared, travelRequirements: [], holdUntil: nil))))
        }
        // Once the checks are in, a departure the schedule makes impossible is refused: 40 days
        // before a flight 10 days ahead is outside even the tests' 30-day window (default: 2 hours).
        let typo = DepartureInput(boarded: [t1, t2], departedAt: Date().addingTimeInterval(-40 * 86_400), recordedBy: "mo")
        var refusal: [String: Any] = [:]
        #expect(await eventually {
            refusal = (try? await post(base, "bookings/\(booking)/departure", typo).json()) ?? [:]
            return refusal["rule"] as? String == "departure-outside-schedule"
        })
        #expect(refusal["field"] as? String == "/departedAt" && refusal["status"] as? Int == 422, "\(refusal)")
        #expect(try await post(base, "bookings/\(booking)/departure", departure).status == 200)
        #expect(try await workList(base, "departed", bookings: true) == [booking])
        let twice = try await post(base, "bookings/\(booking)/departure", departure)
        #expect(twice.status == 409)
        #expect(try twice.json()["rule"] as? String == "already-departed")
        #expect(try await post(base, "bookings/\(booking)/arrival", ArrivalInput(recordedBy: "mo")).status == 200)
        #expect(try await workList(base, "departed", bookings: true).isEmpty)
        #expect(try await workList(base, "bookable").isEmpty, "an arrived family is never bookable again")

        var names: [String] = []
        #expect(await eventually {
            names = await cluster.traffic.published(by: .travelBooking).map(\.type.name)
            return names.count == 4
        })
        #expect(names == ["travel-booking.booking-proposed", "travel-booking.booking-confirmed", "travel-booking.departed", "travel-booking.arrived"])
        // Entries for calls on a booking name the booking's case.
        let onBookings = try await AuditPages.all(at: base).filter { $0.path.hasPrefix("/bookings/") }
        #expect(!onBookings.isEmpty && onBookings.allSatisfy { $0.caseID == id.rawValue }, "\(onBookings.map(\.caseID))")
        await producer.close()
        await travel.child.stop()
    }
}
