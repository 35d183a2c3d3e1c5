import Foundation
import HomewardModel
import ReintegrationAPI

extension Journey {
    /// Journey 2: a family of four — two adults, a child under five and an elderly parent who
    /// needs a wheelchair and an escort. Screenings require different tests by age (checked
    /// against the screening rules), one itinerary carries all four with the wheelchair
    /// service (WCHR) and the operational escort; reintegration expects them once the booking
    /// is confirmed and the officer arranges reception; the family departs, transits and
    /// arrives.
    ///
    /// - Parameter seed: picks the family (names, dates of birth).
    public static func familyWithNeeds(seed: Int = 0) -> Journey {
        Journey(title: "family of four with a wheelchair and an escort", seed: seed) { work, run, people in
            let now = work.staff.now
            let family = [
                people.person("CO", sex: "female", years: 33, spread: 12, relationship: "principal", slot: 0),
                people.person("CO", sex: "male", years: 35, spread: 12, relationship: "spouse-or-partner", slot: 1),
                people.person("CO", sex: seed % 2 == 0 ? "male" : "female", years: 2, spread: 3, relationship: "child", slot: 2),
                people.person("CO", sex: "female", years: 71, spread: 9, relationship: "parent", slot: 3, familyName: people.familyName("CO", salt: 5)),
            ]
            var referral = Referral.generic(family, returnCountry: "CO", returnCity: "Medellín", now: now)
            referral.vulnerabilities = ["elderly", "disability"]
            try await work.register(referral, key: Script.key("family-with-needs", seed: seed))
            try await work.declare()
            run.say("intake registered case \(work.caseID): \(family.map(\.givenName).joined(separator: ", ")) \(family[0].familyName), "
                    + "eligible under the generic programme; declaration recorded")

            let today = Instants.day(work.staff.now)
            var required: [TravellerID: [String]] = [:]
            for (index, traveller) in work.travellers.enumerated() {
                let elder = index == 3
                required[traveller] = try await work.screen(traveller, outcome: elder ? .clearedWithRequirements : .cleared,
                                                            requirements: elder ? [.wheelchair, .nonMedicalEscort] : [])
                let age = Instants.age(born: family[index].dateOfBirth, on: today)
                run.say("health screened \(family[index].givenName), \(age) (\(required[traveller]!.isEmpty ? "no tests at this age" : required[traveller]!.joined(separator: ", "))): "
                        + (elder ? "cleared, needs a wheelchair and an escort" : "cleared"))
            }
            for (index, traveller) in work.travellers.enumerated() {
                let expected = ProgrammeFacts.requiredTests(age: Instants.age(born: family[index].dateOfBirth, on: today))
                try run.check("health: \(traveller) aged \(Instants.age(born: family[index].dateOfBirth, on: today)) needs \(expected.isEmpty ? "no tests" : expected.joined(separator: ", "))",
                              CaseWork.firstDifference([("\(traveller)'s tests", required[traveller]!.joined(separator: ", "), expected.joined(separator: ", "))]))
            }
            try run.check("health: the child under five and the adults need different tests",
                          required[work.travellers[2]] != required[work.travellers[0]] ? nil : "the same tests for a child under five and an adult")

            try await work.waitUntilBookable()
            let route = Route.medellin
            let departure = route.departure(after: work.staff.now)
            let booking = try await work.book(route, departing: departure)
            let bookingID = booking.bookingID
            let items = booking.items ?? []
            try run.check("travel: one booking for all four, with WCHR and an operational escort", CaseWork.firstDifference([
                ("travellers", booking.travellerIDs.map(\.rawValue).joined(separator: ","), work.travellers.map(\.rawValue).joined(separator: ",")),
                ("wheelchair item", items.contains { $0.kind == "service" && $0.code == "WCHR" } ? "WCHR" : "none", "WCHR"),
                ("escort item", items.first { $0.kind == "escort" }?.escort?.rawValue ?? "none", "operational"),
                ("items", "\(items.count)", "2"),
            ]))
            try await work.confirm(bookingID)
            run.say("travel booked and confirmed \(bookingID): \(route.description) for all four, with WCHR and an operational escort")
            let flightDay = Instants.local(departure, "America/Toronto").prefix(10)
            try await run.verify("travel: AV205's manifest lists the four, the elder with WCHR") {
                let manifest = try await work.staff.travel.manifest("AV205", date: LocalDate(String(flightDay))!)
                let ours = manifest.passengers.filter { $0.caseID == work.caseID }
                let elder = ours.first { $0.travellerID == work.travellers[3] }
                return CaseWork.firstDifference([
                    ("passengers of the case", ours.map(\.travellerID.rawValue).sorted().joined(separator: ","),
                     work.travellers.map(\.rawValue).sorted().joined(separator: ",")),
                    ("the elder's services", elder?.items.compactMap(\.code).joined(separator: ",") ?? "-", "WCHR"),
                ])
            }
            try await work.verifyReintegrationExpects(booking)
            let reception: [ReceptionNeed] = [.airportPickup, .escort]
            try await work.recordReception(reception, note: "meet the family at the arrivals exit, with a van that takes a folding wheelchair")
            run.say("reintegration expects the family on \(route.description); the reintegration officer arranged an airport pickup and an escort")
            try await work.travel(bookingID, route: route)
            let opened = try await work.waitUntilReintegrationOpens()
            run.say("reintegration opened with a budget of \(CaseWork.display(opened.budget)) in kind")

            try await work.verifyIntake(status: "active", stage: "reintegration", timeline: [
                "registered", "consent-changed", "consent-changed", "eligibility-decided", "counselling", "declaration-recorded", "ready-for-screening",
                "screening-opened", "screening-opened", "screening-opened", "screening-opened", "cleared", "cleared", "cleared", "cleared",
                "booking-proposed", "booked", "pre-embarkation-check", "pre-embarkation-check", "pre-embarkation-check", "pre-embarkation-check",
                "departed", "arrived", "reintegration-opened",
            ])
            for (index, traveller) in work.travellers.enumerated() {
                try await work.verifyHealth(traveller, status: "departed", screenings: [(.initial, index == 3 ? "cleared-with-requirements" : "cleared")],
                                            requiredTests: required[traveller], preEmbarkation: [(bookingID, "done")])
            }
            try await work.verifyTravel(status: "arrived", bookable: false, bookings: [(bookingID, "arrived", nil)]) { view in
                let booking = view.bookings.first
                let elder = view.travellers.first { $0.travellerID == work.travellers[3] }
                return CaseWork.firstDifference([
                    ("transits", booking?.transits.map(\.airport).joined(separator: ",") ?? "", "BOG"),
                    ("the elder's requirements", elder?.travelRequirements?.map(\.rawValue).joined(separator: ",") ?? "-", "wheelchair,non-medical-escort"),
                ])
            }
            try await run.verify("reintegration: open with the generic full budget EUR 1,500") {
                let view = try await work.reintegrationCase()
                return CaseWork.firstDifference([
                    ("status", view.status, "open"),
                    ("budget", CaseWork.money(view.budget), "EUR \(ProgrammeFacts.genericFullBudgetMinor)"),
                    ("return country", view.returnCountry ?? "-", "CO"),
                    ("reception needs, kept on arrival", view.reception?.needs.map(\.rawValue).joined(separator: ",") ?? "-", "airport-pickup,escort"),
                    ("arrival expected", view.expectedArrival?.bookingID.rawValue ?? "none", "none"),
                ])
            }
        }
    }
}
