import Foundation
import HomewardModel

extension Journey {
    /// Journey 7: a parent and child cleared, booked and confirmed; a re-screen puts the child
    /// on a short health hold, which puts the booking on hold; after the hold a new exam and
    /// clearance make the case bookable again, and the family is rebooked together (the new
    /// booking names the old one, which is cancelled as rebooked), departs and arrives.
    ///
    /// - Parameters:
    ///   - seed: picks the family.
    ///   - hold: the length of the child's health hold.
    public static func holdAndRebook(seed: Int = 0, hold: Duration = .seconds(5)) -> Journey {
        Journey(title: "health hold, clearance, rebooking", seed: seed) { work, run, people in
            let family = [
                people.person("CO", sex: "male", years: 29, spread: 20, relationship: "principal", slot: 0),
                people.person("CO", sex: seed % 2 == 0 ? "male" : "female", years: 7, spread: 3, relationship: "child", slot: 1),
            ]
            try await work.register(.generic(family, returnCountry: "CO", returnCity: "Bogotá", now: work.staff.now), key: Script.key("hold-rebook", seed: seed))
            try await work.declare()
            let (adult, child) = (work.travellers[0], work.travellers[1])
            for traveller in work.travellers { try await work.screen(traveller) }
            run.say("intake registered case \(work.caseID): \(family[0].name) and his child; both cleared")
            try await work.waitUntilBookable()
            let route = Route.bogota
            let first = try await work.bookAndConfirm(route, departing: route.departure(after: work.staff.now))
            run.say("travel booked and confirmed \(first): \(route.description)")

            try await work.rescreen(child)
            try await work.recordFitness(child, .onHold, holdFor: hold)
            let record = try await run.repeatUntilAnswered("read the child's hold") { try await work.healthRecord(child) }
            let holdUntil = record.screenings.last?.outcomes.last?.holdUntil.map(Instant.format) ?? "-"
            run.say("health re-screened the child and placed a hold until \(holdUntil)")
            _ = try await run.waitFor("booking \(first) on hold") {
                let booking = try await work.booking(first)
                return booking.status == "on-hold" && booking.reason == "health-hold" ? true : nil
            }
            try await run.verify("travel: not bookable while the child is on hold") {
                let view = try await work.travelCase()
                return !view.bookable ? nil : "travel shows the case bookable during the hold"
            }
            run.say("travel put \(first) on hold (health-hold)")

            try await work.recordExam(child, examinedOn: Instants.day(work.staff.now))
            // The clearance is refused until the hold ends: retried until then.
            try await work.recordFitness(child, .cleared, retryingRules: ["clearance-contradicts-hold"], deadline: hold + work.staff.timing.stepDeadline)
            run.say("after the hold: a new exam and a clearance for the child")
            try await work.waitUntilBookable()
            let rebooked = route.rebooked(flight: "AV207")
            let secondID = try await work.rebook(first, on: rebooked, departing: route.departure(after: work.staff.now).addingTimeInterval(8 * 3_600))
            run.say("the family rebooked together on \(secondID) (AV207), confirmed")
            try await work.travel(secondID, route: rebooked)
            try await work.waitUntilReintegrationOpens()

            try await work.verifyTravel(status: "arrived", bookable: false, bookings: [(first, "cancelled", "rebooked"), (secondID, "arrived", nil)])
            try await work.verifyHealth(adult, status: "departed", screenings: [(.initial, "cleared")], preEmbarkation: [(first, "closed"), (secondID, "done")])
            try await work.verifyHealth(child, status: "departed", screenings: [(.initial, "cleared"), (.rescreen, "cleared")],
                                        preEmbarkation: [(first, "closed"), (secondID, "done")])
            try await work.verifyIntake(status: "active", stage: "reintegration", timeline: [
                "registered", "consent-changed", "consent-changed", "eligibility-decided", "counselling", "declaration-recorded", "ready-for-screening",
                "screening-opened", "screening-opened", "cleared", "cleared", "booking-proposed", "booked",
                "screening-opened", "on-hold", "booking-on-hold", "cleared", "booking-proposed", "booking-cancelled", "booked",
                "pre-embarkation-check", "pre-embarkation-check", "departed", "arrived", "reintegration-opened",
            ])
            try await work.verifyReintegrationOpenWithFullBudget()
        }
    }
}
