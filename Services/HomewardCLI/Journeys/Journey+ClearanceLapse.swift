import Foundation
import HomewardModel

extension Journey {
    /// Journey 8: a clearance lapses before departure. One of a couple is cleared on an
    /// immigration medical exam from a year ago, so the clearance runs out at the end of
    /// today (UTC); the couple is booked on this evening's flight, which does not leave before
    /// midnight (the departure is never recorded). At 00:00 UTC health's lapse sweep announces
    /// the lapse, travel puts the booking on hold (`clearance-lapsed`) and health opens a
    /// re-screen; after a new exam and clearance the couple is rebooked, departs and arrives.
    ///
    /// Health's clearances are valid for whole UTC days (`clearanceValidUntil` is the end of a
    /// UTC day), so a clearance can lapse only at 00:00 UTC: the journey runs only when the
    /// stack's clock is at most `maximumWaitForLapse` (and at least three minutes) before
    /// midnight, and otherwise throws ``JourneyError/Reason/cannotRunNow(_:)`` at once, before
    /// registering anything. Start the services with ``Journeys/requiredEnvironment`` so the
    /// lapse is announced within a second of midnight. (Running the services on a shifted clock
    /// would make it runnable at any hour, but libfaketime 0.9.10 stalls these services' outbox
    /// relay: that route is not usable yet.)
    ///
    /// - Parameters:
    ///   - seed: picks the couple.
    ///   - maximumWaitForLapse: the longest wait for the next 00:00 UTC (stack clock).
    public static func clearanceLapse(seed: Int = 0, maximumWaitForLapse: Duration = .seconds(15 * 60)) -> Journey {
        Journey(title: "clearance lapses before departure: on hold, re-screen, rebooked, departs", seed: seed, atAnyHour: false) { work, run, people in
            let now = work.staff.now
            let midnight = Instants.nextUTCMidnight(after: now)
            let toLapse = midnight.timeIntervalSince(now)
            let longest = Double(maximumWaitForLapse.components.seconds)
            guard toLapse <= longest, toLapse >= 180 else {
                throw JourneyError(journey: run.journey, step: "wait for 00:00 UTC", reason: .cannotRunNow(
                    "a clearance can only lapse at 00:00 UTC (health's validity is whole UTC days); the stack's clock reads \(Instant.format(now)), "
                    + "\(Int(toLapse / 60)) min before it, and this journey needs 3 to \(Int(longest / 60)) min: start it shortly before midnight UTC"))
            }
            let couple = [
                people.person("MX", sex: "male", years: 38, spread: 20, relationship: "principal", slot: 0),
                people.person("MX", sex: "female", years: 37, spread: 20, relationship: "spouse-or-partner", slot: 1),
            ]
            try await work.register(.generic(couple, returnCountry: "MX", returnCity: "Puebla", now: now), key: Script.key("clearance-lapse", seed: seed))
            try await work.declare()
            let (principal, spouse) = (work.travellers[0], work.travellers[1])
            let yearOld = Instants.day(yearsBefore: 0, months: ProgrammeFacts.clearanceValidityMonths, of: now)
            try await work.screen(principal, examinedOn: yearOld)
            try await work.screen(spouse)
            run.say("case \(work.caseID): \(couple[0].givenName) cleared on his medical of \(yearOld), valid to the end of today (UTC); \(couple[1].givenName) on today's")
            try await run.verify("travel: \(principal)'s clearance ends at \(Instant.format(midnight.addingTimeInterval(-0.001)))") {
                let view = try await work.travelCase()
                let until = view.travellers.first { $0.travellerID == principal }?.validUntil
                return until.map { abs($0.timeIntervalSince(midnight)) < 0.01 ? nil : "valid until \(Instant.format($0))" } ?? "no clearance yet"
            }

            try await work.waitUntilBookable()
            var evening = midnight.addingTimeInterval(-5 * 60)
            if evening.timeIntervalSince(work.staff.now) < 60 { evening = midnight.addingTimeInterval(-60) }
            let tonight = Route.mexicoCity.rebooked(flight: "AC995")
            let first = try await work.bookAndConfirm(tonight, departing: evening)
            run.say("booked and confirmed \(first) on AC995 at \(Instants.local(evening, "America/Toronto")) Toronto time, before the clearance ends")

            _ = try await run.waitFor("the lapse at 00:00 UTC to put \(first) on hold", deadline: .seconds(Int64(toLapse.rounded(.up))) + work.staff.timing.waitDeadline) {
                let booking = try await work.booking(first)
                return booking.status == "on-hold" && booking.reason == "clearance-lapsed" ? true : nil
            }
            run.say("the flight did not leave before midnight; at 00:00 UTC the clearance lapsed and travel put \(first) on hold (clearance-lapsed)")
            try await work.waitForScreening(principal, count: 2)
            try await work.recordExam(principal, examinedOn: Instants.day(work.staff.now))
            try await work.recordFitness(principal, .cleared)
            run.say("health opened a re-screen for \(couple[0].givenName); new exam, cleared")

            try await work.waitUntilBookable()
            let route = Route.mexicoCity
            let secondID = try await work.rebook(first, on: route, departing: route.departure(after: work.staff.now))
            run.say("rebooked on \(secondID) (AC991), confirmed")
            try await work.travel(secondID, route: route)
            try await work.waitUntilReintegrationOpens()

            try await work.verifyTravel(status: "arrived", bookable: false, bookings: [(first, "cancelled", "rebooked"), (secondID, "arrived", nil)])
            try await work.verifyHealth(principal, status: "departed", screenings: [(.initial, "cleared"), (.rescreen, "cleared")],
                                        preEmbarkation: [(first, "closed"), (secondID, "done")])
            try await work.verifyHealth(spouse, status: "departed", screenings: [(.initial, "cleared")], preEmbarkation: [(first, "closed"), (secondID, "done")])
            try await work.verifyIntake(status: "active", stage: "reintegration", timeline: [
                "registered", "consent-changed", "consent-changed", "eligibility-decided", "counselling", "declaration-recorded", "ready-for-screening",
                "screening-opened", "screening-opened", "cleared", "cleared", "booking-proposed", "booked",
                "clearance-lapsed", "booking-on-hold", "screening-opened", "cleared", "booking-proposed", "booking-cancelled", "booked",
                "pre-embarkation-check", "pre-embarkation-check", "departed", "arrived", "reintegration-opened",
            ])
            try await work.verifyReintegrationOpenWithFullBudget()
        }
    }
}
