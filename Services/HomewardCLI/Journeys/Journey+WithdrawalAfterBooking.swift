import Foundation
import HealthScreeningAPI

extension Journey {
    /// Journey 5: a parent and child cleared and booked, who then withdraw before departure.
    /// Travel cancels the booking (`case-withdrawn`), health closes the travellers and their
    /// due pre-embarkation checks, reintegration expected the family until the withdrawal and
    /// never opens the case.
    ///
    /// - Parameter seed: picks the family.
    public static func withdrawalAfterBooking(seed: Int = 0) -> Journey {
        Journey(title: "withdrawal after booking", seed: seed) { work, run, people in
            let family = [
                people.person("HN", sex: "female", years: 27, spread: 15, relationship: "principal", slot: 0),
                people.person("HN", sex: seed % 2 == 0 ? "female" : "male", years: 6, spread: 4, relationship: "child", slot: 1),
            ]
            try await work.register(.generic(family, returnCountry: "HN", returnCity: "San Pedro Sula", now: work.staff.now),
                                    key: Script.key("withdrawal", seed: seed))
            try await work.declare()
            run.say("intake registered case \(work.caseID): \(family[0].name) and her child; declaration recorded")
            for traveller in work.travellers { try await work.screen(traveller) }
            run.say("health cleared both")
            try await work.waitUntilBookable()
            let route = Route.sanPedroSula
            let booking = try await work.book(route, departing: route.departure(after: work.staff.now))
            let bookingID = booking.bookingID
            try await work.confirm(bookingID)
            run.say("travel booked and confirmed \(bookingID): \(route.description)")
            try await work.verifyReintegrationExpects(booking)
            for traveller in work.travellers {
                _ = try await run.waitFor("\(traveller)'s pre-embarkation check due") {
                    (try await work.healthRecord(traveller)).preEmbarkationChecks.contains { $0.status == "due" } ? true : nil
                }
            }
            try await work.withdraw()
            run.say("the family withdrew before departure")

            try await work.verifyTravel(status: "withdrawn", bookable: false, bookings: [(bookingID, "cancelled", "case-withdrawn")])
            for traveller in work.travellers {
                try await work.verifyHealth(traveller, status: "closed", screenings: [(.initial, "cleared")], preEmbarkation: [(bookingID, "closed")])
            }
            try await run.expectRefusal("a pre-embarkation check after the withdrawal", rule: "traveller-not-active") {
                _ = try await work.staff.health.preEmbarkation(work.travellers[0], FitnessInput(outcome: .cleared))
            }
            try run.check("health: refuses a check for a withdrawn traveller (traveller-not-active)", nil)
            try await work.verifyIntake(status: "withdrawn", stage: "travel", timeline: [
                "registered", "consent-changed", "consent-changed", "eligibility-decided", "counselling", "declaration-recorded", "ready-for-screening",
                "screening-opened", "screening-opened", "cleared", "cleared", "booking-proposed", "booked", "withdrawn", "booking-cancelled",
            ])
            try await work.verifyNoReintegration()
            run.say("booking cancelled, screenings and checks closed, reintegration no longer expects the family and never opened the case")
        }
    }
}
