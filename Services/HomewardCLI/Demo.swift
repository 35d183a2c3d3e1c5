import ArgumentParser
import Foundation
import HomewardModel

/// `homeward demo`: one family through every stage, as staff would work it over the four
/// services' APIs, then the case's timeline as intake shows it.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Drive a demo family through intake, health screening, travel and reintegration.")

    @OptionGroup var services: ServiceURLs

    func run() async throws {
        try await oneLine("demo") { try await Self.run(services: services) }
    }

    static func run(services: ServiceURLs) async throws {
        let intake = services.client(.intake)
        let health = services.client(.healthScreening)
        let travel = services.client(.travelBooking)
        let reintegration = services.client(.reintegration)
        var step = 0
        func done(_ text: String) {
            step += 1
            print(String(format: "%2d. ", step) + text)
            fflush(nil)  // progress shows as it happens, also through a pipe
        }

        let referred = Instant.format(Date().addingTimeInterval(-2 * 86_400))
        let family: [String: Any] = [
            "programmeID": "generic-avrr", "referringAuthority": "CBSA", "referredAt": referred, "firstContactAt": referred,
            "principal": ["givenName": "Lucía", "familyName": "Mendoza", "dateOfBirth": "1981-05-14", "sex": "female", "nationality": "CO",
                          "languages": ["es"], "travelDocumentStatus": "valid"],
            "dependants": [
                ["givenName": "Tomás", "familyName": "Mendoza", "dateOfBirth": "2017-02-03", "sex": "male", "nationality": "CO",
                 "relationship": "child", "travelDocumentStatus": "valid"],
                ["givenName": "Rosa", "familyName": "Pérez", "dateOfBirth": "1952-10-30", "sex": "female", "nationality": "CO",
                 "relationship": "parent", "travelDocumentStatus": "valid"],
            ],
            "returnCountry": "CO", "returnCity": "Medellín", "currentLocation": ["city": "Toronto", "area": "GTA"],
            "immigration": ["leaveApplicationFiled": false, "appealFiled": false, "designatedCountryOfOrigin": false, "claimWithdrawnOrAbandoned": false],
            "vulnerabilities": ["elderly"],
            "consents": [["purpose": "processing", "granted": true], ["purpose": "sharing-with-reintegration-partner", "granted": true]],
            "recordedBy": "caseworker-ana",
        ]
        let registered = try await intake.call("POST", "cases", family)
        let caseID = registered["caseID"] as! String
        let travellers = (registered["travellers"] as? [[String: Any]] ?? []).compactMap { $0["travellerID"] as? String }
        let eligibility = (registered["eligibility"] as? [String: Any])?["eligible"] as? Bool == true ? "eligible" : "not eligible"
        done("intake registered case \(caseID): a mother, her son and her mother; \(eligibility) under the generic programme")
        _ = try await intake.call("POST", "cases/\(caseID)/declaration", ["recordedBy": "caseworker-ana"])
        done("informed-choice declaration recorded: the case is ready for screening")

        for (index, traveller) in travellers.enumerated() {
            let record = try await health.wait("travellers/\(traveller)", for: "\(traveller)'s screening") { ($0["screenings"] as? [Any])?.isEmpty == false }
            let tests = ((record["screenings"] as? [[String: Any]])?.last?["requiredTests"] as? [String]) ?? []
            let today = String(Instant.format(Date()).prefix(10))
            _ = try await health.call("POST", "travellers/\(traveller)/exams", [
                "examinedOn": today, "results": Dictionary(uniqueKeysWithValues: tests.map { ($0, "within normal limits") }),
                "notes": "demo exam", "recordedBy": "health-officer-ben"])
            let elder = index == 2
            _ = try await health.call("POST", "travellers/\(traveller)/fitness", elder
                ? ["outcome": "cleared-with-requirements", "travelRequirements": ["wheelchair", "non-medical-escort"], "recordedBy": "health-officer-ben"]
                : ["outcome": "cleared", "recordedBy": "health-officer-ben"])
            done("health screened \(traveller) (\(tests.isEmpty ? "no tests at this age" : tests.joined(separator: ", "))): "
                 + (elder ? "cleared, needs a wheelchair and an escort" : "cleared"))
        }

        _ = try await travel.wait("cases/\(caseID)", for: "the case as bookable") { $0["bookable"] as? Bool == true }
        let departure = Date().addingTimeInterval(48 * 3600)
        let segments: [[String: Any]] = [[
            "flightNumber": "AV205", "from": "YYZ", "to": "BOG",
            "departsLocal": Self.local(departure, "America/Toronto"), "departureTimeZone": "America/Toronto",
            "arrivesLocal": Self.local(departure.addingTimeInterval(5.5 * 3600), "America/Bogota"), "arrivalTimeZone": "America/Bogota"],
            ["flightNumber": "AV9321", "from": "BOG", "to": "MDE",
             "departsLocal": Self.local(departure.addingTimeInterval(7.5 * 3600), "America/Bogota"), "departureTimeZone": "America/Bogota",
             "arrivesLocal": Self.local(departure.addingTimeInterval(8.5 * 3600), "America/Bogota"), "arrivalTimeZone": "America/Bogota",
             "transitAssistance": true]]
        let booking = try await travel.call("POST", "cases/\(caseID)/bookings",
                                            ["travellerIDs": travellers, "segments": segments, "recordedBy": "movement-officer-carla"])
        let bookingID = booking["bookingID"] as! String
        let codes = (booking["items"] as? [[String: Any]] ?? []).compactMap { ($0["code"] as? String) ?? ($0["escort"] as? String).map { "\($0) escort" } }
        done("travel booked \(bookingID): Toronto → Bogotá → Medellín for the whole family, with \(codes.joined(separator: ", "))")
        _ = try await travel.call("POST", "bookings/\(bookingID)/confirmation", ["recordedBy": "movement-officer-carla"])
        done("booking confirmed")

        for traveller in travellers {
            _ = try await health.wait("travellers/\(traveller)", for: "\(traveller)'s pre-embarkation check") {
                ($0["preEmbarkationChecks"] as? [[String: Any]])?.contains { $0["status"] as? String == "due" } == true
            }
            _ = try await health.call("POST", "travellers/\(traveller)/pre-embarkation", ["outcome": "cleared", "recordedBy": "health-officer-ben"])
        }
        done("pre-embarkation checks passed for all three")
        let deadline = ContinuousClock.now.advanced(by: .seconds(60))
        while true {
            do {
                _ = try await travel.call("POST", "bookings/\(bookingID)/departure", ["boarded": travellers, "recordedBy": "movement-officer-carla"])
                break
            } catch where ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(250))  // the checks' events are on their way
            }
        }
        done("departure recorded: all three boarded")
        _ = try await travel.call("POST", "bookings/\(bookingID)/transit", ["airport": "BOG", "recordedBy": "movement-officer-carla"])
        _ = try await travel.call("POST", "bookings/\(bookingID)/arrival", ["recordedBy": "movement-officer-carla"])
        done("transit at Bogotá and arrival in Medellín recorded")

        let opened = try await reintegration.wait("cases/\(caseID)", for: "the reintegration case open") { $0["status"] as? String == "open" }
        let budget = opened["budget"] as? [String: Any] ?? [:]
        let currency = budget["currency"] as? String ?? "EUR"
        let total = (budget["amountMinor"] as? Int) ?? 0
        done("reintegration opened with a budget of \(currency) \(total / 100) in kind")
        for kind in ["needs", "vulnerability", "family", "skills"] {
            _ = try await reintegration.call("POST", "cases/\(caseID)/assessments", ["kind": kind, "summary": "assessed with the family", "recordedBy": "ro-dina"])
        }
        let business = total * 7 / 10, training = total - business
        _ = try await reintegration.call("PUT", "cases/\(caseID)/plan", ["items": [
            ["dimension": "economic", "category": "business-start-up", "partner": "Fundación Retorno", "description": "bakery equipment",
             "plannedAmount": ["amountMinor": business, "currency": currency]],
            ["dimension": "social", "category": "vocational-training", "partner": "SENA Antioquia", "description": "pastry course",
             "plannedAmount": ["amountMinor": training, "currency": currency]]], "recordedBy": "ro-dina"], expect: [200])
        _ = try await reintegration.call("POST", "cases/\(caseID)/plan/approval", ["approvedBy": "supervisor-eli"])
        done("assessments recorded; plan written by one officer and approved by another")
        _ = try await reintegration.call("POST", "cases/\(caseID)/referrals", ["partner": "Fundación Retorno", "recordedBy": "ro-dina"])
        _ = try await reintegration.call("POST", "cases/\(caseID)/disbursements", [
            "itemID": "\(caseID)-I1", "delivered": "oven and mixer", "partner": "Fundación Retorno", "deliveredAt": Instant.format(Date()),
            "value": ["amountMinor": business, "currency": currency], "recordedBy": "ro-dina"])
        done("referred to the partner (with consent) and the equipment delivered")
        let survey = try await reintegration.call("GET", "survey", expect: [200])
        let answers = Dictionary(uniqueKeysWithValues: (survey["indicators"] as? [[String: Any]] ?? []).compactMap { i -> (String, Int)? in
            guard let id = i["id"] as? String, let max = i["maximum"] as? Int, let min = i["minimum"] as? Int else { return nil }
            return (id, min + (max - min) * 3 / 4)
        })
        let visited = try await reintegration.call("POST", "cases/\(caseID)/visits", ["visitedAt": Instant.format(Date()), "answers": answers, "recordedBy": "ro-dina"])
        let composite = ((visited["visits"] as? [[String: Any]])?.last?["scores"] as? [String: Any])?["composite"] as? Double ?? 0
        done(String(format: "monitoring visit: sustainability composite %.2f", composite))
        _ = try await reintegration.call("POST", "cases/\(caseID)/closure", ["outcome": "completed", "recordedBy": "ro-dina"])
        done("reintegration closed")

        let view = try await intake.wait("cases/\(caseID)", for: "the closed case") { $0["status"] as? String == "closed" }
        print("\nThe timeline of case \(caseID), as intake shows it:")
        printTimeline(view)
        fflush(nil)
    }

    /// An instant as the local "YYYY-MM-DDTHH:MM" of a time zone.
    static func local(_ date: Date, _ zone: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: zone)
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm"
        return formatter.string(from: date)
    }
}
