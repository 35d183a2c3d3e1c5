import Foundation

extension Journey {
    /// Journey 9: a family of three cleared, booked, checked; at the gate one of them does not
    /// show. Nobody departs (the family travels as one unit): the booking goes on hold
    /// (`no-show`), the family is rebooked together on a later flight, checked again, departs
    /// and arrives.
    ///
    /// - Parameter seed: picks the family.
    public static func noShow(seed: Int = 0) -> Journey {
        Journey(title: "no-show at departure, rebooked together", seed: seed) { work, run, people in
            let family = [
                people.person("MX", sex: "female", years: 34, spread: 15, relationship: "principal", slot: 0),
                people.person("MX", sex: "male", years: 36, spread: 15, relationship: "spouse-or-partner", slot: 1),
                people.person("MX", sex: seed % 2 == 0 ? "male" : "female", years: 12, spread: 3, relationship: "child", slot: 2),
            ]
            try await work.register(.generic(family, returnCountry: "MX", returnCity: "Guadalajara", now: work.staff.now), key: Script.key("no-show", seed: seed))
            try await work.declare()
            for traveller in work.travellers { try await work.screen(traveller) }
            run.say("intake registered case \(work.caseID): \(family.map(\.givenName).joined(separator: ", ")) \(family[0].familyName); all three cleared")
            try await work.waitUntilBookable()
            let route = Route.mexicoCity
            let departure = route.departure(after: work.staff.now)
            let first = try await work.bookAndConfirm(route, departing: departure)
            for traveller in work.travellers { try await work.passPreEmbarkation(traveller, booking: first) }
            run.say("booked and confirmed \(first) (AC991); pre-embarkation checks passed")

            let absent = work.travellers[1]
            try await work.noShow(first, absent: [absent])
            run.say("at the gate \(family[1].givenName) did not show: nobody departs, \(first) on hold to rebook")
            try await run.verify("travel: \(first) on hold (no-show), nobody departed") {
                let booking = try await work.booking(first)
                return CaseWork.firstDifference([("status", booking.status, "on-hold"), ("reason", booking.reason ?? "-", "no-show"),
                                                 ("departed", booking.departedAt == nil ? "no" : "yes", "no")])
            }
            for traveller in work.travellers {
                try await run.verify("health: \(traveller) still active (not departed)") {
                    let status = try await work.healthRecord(traveller).status
                    return status == "active" ? nil : "\(traveller) is \(status)"
                }
            }

            let later = route.rebooked(flight: "AC995")
            let secondID = try await work.rebook(first, on: later, departing: departure.addingTimeInterval(10 * 3_600))
            run.say("the family rebooked together on \(secondID) (AC995, ten hours later), confirmed")
            try await work.travel(secondID, route: later)
            try await work.waitUntilReintegrationOpens()

            try await work.verifyTravel(status: "arrived", bookable: false, bookings: [(first, "cancelled", "rebooked"), (secondID, "arrived", nil)]) { view in
                let arrived = view.bookings.first { $0.bookingID == secondID }
                return CaseWork.firstDifference([("travellers arrived", arrived?.travellerIDs.map(\.rawValue).joined(separator: ",") ?? "-",
                                                  work.travellers.map(\.rawValue).joined(separator: ","))])
            }
            for traveller in work.travellers {
                try await work.verifyHealth(traveller, status: "departed", screenings: [(.initial, "cleared")], preEmbarkation: [(first, "done"), (secondID, "done")])
            }
            try await work.verifyIntake(status: "active", stage: "reintegration", timeline: [
                "registered", "consent-changed", "consent-changed", "eligibility-decided", "counselling", "declaration-recorded", "ready-for-screening",
                "screening-opened", "screening-opened", "screening-opened", "cleared", "cleared", "cleared", "booking-proposed", "booked",
                "pre-embarkation-check", "pre-embarkation-check", "pre-embarkation-check", "booking-on-hold",
                "booking-proposed", "booking-cancelled", "booked", "pre-embarkation-check", "pre-embarkation-check", "pre-embarkation-check",
                "departed", "arrived", "reintegration-opened",
            ])
            try await work.verifyReintegrationOpenWithFullBudget()
        }
    }
}
