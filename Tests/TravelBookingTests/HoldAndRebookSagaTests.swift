import Foundation
import HomewardModel
import TestSupport
@testable import TravelBooking
import Testing
import TravelBookingAPI

/// The real intake, health screening and travel booking executables on one embedded
/// broker: a family is cleared and booked, a health hold puts the booking on hold, a new
/// clearance lets the family be rebooked, and intake's timeline shows every step.
@Suite("Hold and rebook, end to end", .serialized)
struct HoldAndRebookSagaTests {
    static let encoder = EventCoding.encoder()

    func post(_ base: URL, _ path: String, _ json: String) async throws -> HTTP.Reply {
        try await HTTP.send("POST", base.appendingPathComponent(path), body: Data(json.utf8))
    }

    func get(_ base: URL, _ path: String) async throws -> [String: Any] {
        try await HTTP.send("GET", base.appendingPathComponent(path)).json()
    }

    @Test func aHoldPutsTheBookingOnHoldAndANewClearanceRebooksIt() async throws {
        let cluster = try TestCluster("saga")
        let intake = try cluster.service("intake")
        let health = try cluster.service("health-screening")
        let travel = try cluster.service("travel-booking")
        for service in [intake, health, travel] { try await service.waitUntilReady() }

        let referred = Instant.format(Date().addingTimeInterval(-86_400))
        let registered = try await post(intake.baseURL, "cases", """
            {"programmeID":"generic-avrr","referringAuthority":"CBSA","referredAt":"\(referred)","firstContactAt":"\(referred)",
             "principal":{"givenName":"Ana","familyName":"Ruiz","dateOfBirth":"1986-03-03","sex":"female","nationality":"CO","travelDocumentStatus":"valid"},
             "dependants":[{"givenName":"Leo","familyName":"Ruiz","dateOfBirth":"2018-09-09","sex":"male","nationality":"CO","relationship":"child","travelDocumentStatus":"valid"}],
             "returnCountry":"CO","currentLocation":{"city":"Toronto","area":"GTA"},
             "immigration":{"leaveApplicationFiled":false,"appealFiled":false,"designatedCountryOfOrigin":false,"claimWithdrawnOrAbandoned":false},
             "consents":[{"purpose":"processing","granted":true}]}
            """)
        #expect(registered.status == 201)
        let caseID = try #require(try registered.json()["caseID"] as? String)
        let adult = "\(caseID)-T1", child = "\(caseID)-T2"
        #expect(try await post(intake.baseURL, "cases/\(caseID)/declaration", #"{}"#).status == 200)

        // Health: both screenings open; exams and clearances.
        #expect(await eventually { ((try? await get(health.baseURL, "travellers/\(child)"))?["screenings"] as? [Any])?.count == 1 })
        let today = LocalDate.containing(Date(), in: .gmt)
        func examAndClear(_ traveller: String, _ results: String) async throws {
            #expect(try await post(health.baseURL, "travellers/\(traveller)/exams",
                                   #"{"examinedOn":"\#(today)","results":{\#(results)}}"#).status == 200)
            #expect(try await post(health.baseURL, "travellers/\(traveller)/fitness", #"{"outcome":"cleared"}"#).status == 200)
        }
        try await examAndClear(adult, #""chest-x-ray":"ok","urinalysis":"ok","hiv":"ok","syphilis":"ok""#)
        try await examAndClear(child, #""urinalysis":"ok""#)

        // Travel: bookable, booked, confirmed.
        #expect(await eventually { (try? await get(travel.baseURL, "cases/\(caseID)"))?["bookable"] as? Bool == true })
        let request = try Self.encoder.encode(BookingRequest(travellerIDs: [TravellerID(adult), TravellerID(child)],
                                                             segments: TravelFlowTests.itinerary(days: 12), recordedBy: "mo"))
        let first = try await HTTP.send("POST", travel.baseURL.appendingPathComponent("cases/\(caseID)/bookings"), body: request)
        #expect(first.status == 201)
        let firstID = try #require(try first.json()["bookingID"] as? String)
        #expect(try await post(travel.baseURL, "bookings/\(firstID)/confirmation", #"{}"#).status == 200)

        // Health places the child on hold after a re-screen: the booking goes on hold.
        #expect(try await post(health.baseURL, "travellers/\(child)/rescreen", #"{}"#).status == 200)
        let holdUntil = Instant.format(Date().addingTimeInterval(3))
        #expect(try await post(health.baseURL, "travellers/\(child)/fitness", #"{"outcome":"on-hold","holdUntil":"\#(holdUntil)"}"#).status == 200)
        #expect(await eventually { (try? await get(travel.baseURL, "bookings/\(firstID)"))?["status"] as? String == "on-hold" })
        #expect(try await get(travel.baseURL, "cases/\(caseID)")["bookable"] as? Bool == false)

        // After the hold, a new exam and clearance: the family is rebooked together.
        try await Task.sleep(for: .seconds(4))
        try await examAndClear(child, #""urinalysis":"ok""#)
        #expect(await eventually { (try? await get(travel.baseURL, "cases/\(caseID)"))?["bookable"] as? Bool == true })
        let second = try await HTTP.send("POST", travel.baseURL.appendingPathComponent("cases/\(caseID)/bookings"), body: request)
        #expect(second.status == 201)
        #expect(try second.json()["rebookingOf"] as? String == firstID)
        let secondID = try #require(try second.json()["bookingID"] as? String)
        #expect(try await post(travel.baseURL, "bookings/\(secondID)/confirmation", #"{}"#).status == 200)

        // Intake's timeline tells the whole story.
        var steps: [String] = []
        #expect(await eventually {
            let view = try? await get(intake.baseURL, "cases/\(caseID)")
            steps = (view?["timeline"] as? [[String: Any]] ?? []).compactMap { $0["step"] as? String }
            return steps.filter { $0 == "booked" }.count == 2
        })
        for step in ["ready-for-screening", "screening-opened", "cleared", "booking-proposed", "booked", "on-hold", "booking-on-hold", "booking-cancelled"] {
            #expect(steps.contains(step), "\(step) in \(steps)")
        }
        for service in [intake, health, travel] {
            await service.child.stop()
            #expect(service.child.process.terminationStatus == 0)
        }
    }
}
