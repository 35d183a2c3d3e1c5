import Foundation
import HomewardModel
import TravelBookingAPI

extension Journey {
    /// Journey 1: one adult, eligible under the generic programme, screened and cleared,
    /// booked and confirmed, pre-embarkation check passed, departed and arrived; reintegration
    /// plan written by an officer and approved by a supervisor, referred to the partner, fully
    /// disbursed, a monitoring visit, closed.
    ///
    /// - Parameter seed: picks the person (name, date of birth); distinct seeds, distinct people.
    public static func singleAdult(seed: Int = 0) -> Journey {
        Journey(title: "single adult: eligible to closure", seed: seed) { work, run, people in
            let now = work.staff.now
            let person = people.person("MX", sex: seed % 2 == 0 ? "male" : "female", years: 24, spread: 30, relationship: "principal", slot: 0)
            let registered = try await work.register(.generic([person], returnCountry: "MX", returnCity: "Ciudad de México", now: now),
                                                     key: Script.key("single-adult", seed: seed))
            let traveller = work.travellers[0]
            let decision = registered.eligibility
            try run.check("intake: eligible under the generic programme, full tier EUR 1,500", CaseWork.firstDifference([
                    ("eligible", "\(decision?.eligible ?? false)", "true"),
                    ("tier", decision?.assistance?.tier.rawValue ?? "-", "full"),
                    ("budget", CaseWork.money(decision?.assistance?.budget), "EUR \(ProgrammeFacts.genericFullBudgetMinor)"),
            ]))
            run.say("intake registered case \(work.caseID): \(person.name), eligible under the generic programme (full tier)")
            try await work.declare()
            run.say("informed-choice declaration recorded: ready for screening")

            let tests = try await work.screen(traveller)
            run.say("health screened \(traveller) (\(tests.joined(separator: ", "))): cleared")

            try await work.waitUntilBookable()
            let route = Route.mexicoCity
            let departure = route.departure(after: work.staff.now)
            let booking = try await work.book(route, departing: departure)
            let bookingID = booking.bookingID
            try await work.confirm(bookingID)
            run.say("travel booked and confirmed \(bookingID): \(route.description), AC991 departing \(Instants.local(departure, "America/Toronto")) Toronto time")
            try await work.travel(bookingID, route: route)

            let opened = try await work.waitUntilReintegrationOpens()
            let budget = Int(opened.budget?.amountMinor ?? 0)
            let currency = opened.budget?.currency ?? "EUR"
            run.say("reintegration opened with a budget of \(CaseWork.display(opened.budget)) in kind")
            try await work.assess()
            let business = budget * 7 / 10, training = budget - business
            let partner = "Fundación Proempleo CDMX"
            try await work.submitPlan([
                .init(dimension: .economic, category: .businessStartUp, partner: partner, description: "street food cart, stove and permits",
                      amountMinor: business),
                .init(dimension: .social, category: .vocationalTraining, partner: "ICAT Ciudad de México", description: "food-handling certificate course",
                      amountMinor: training),
            ], currency: currency)
            try await work.approvePlan()
            run.say("assessments recorded; plan written by the reintegration officer, approved by a supervisor (another person: four eyes)")
            try await work.refer(to: "fundacion-proempleo-cdmx", for: .businessStartUp, steps: [.accepted, .inProgress, .completed])
            try await work.disburse(item: PlanItemID("\(work.caseID)-I1"), delivered: "food cart, two-burner stove, market permit", partner: partner,
                                    amountMinor: business, currency: currency)
            try await work.disburse(item: PlanItemID("\(work.caseID)-I2"), delivered: "food-handling course, enrolment and materials", partner: "ICAT Ciudad de México",
                                    amountMinor: training, currency: currency)
            run.say("referred to \(partner) (with consent); both items delivered in full")
            try await work.visit()
            try await work.close(.completed)
            run.say("monitoring visit recorded; reintegration closed as completed")

            // Every service's final view, and intake's timeline.
            try await work.verifyIntake(status: "closed", stage: "closed", timeline: [
                "registered", "consent-changed", "consent-changed", "eligibility-decided", "counselling", "declaration-recorded", "ready-for-screening",
                "screening-opened", "cleared", "booking-proposed", "booked", "pre-embarkation-check", "departed", "arrived",
                "reintegration-opened", "plan-approved", "disbursed", "disbursed", "monitoring-recorded", "closed",
            ])
            let age = Instants.age(born: person.dateOfBirth, on: Instants.day(work.staff.now))
            try await work.verifyHealth(traveller, status: "departed", screenings: [(.initial, "cleared")],
                                        requiredTests: ProgrammeFacts.requiredTests(age: age), preEmbarkation: [(bookingID, "done")])
            try await run.expectRefusal("book the traveller again after arrival", rule: "not-bookable") {
                _ = try await work.staff.travel.propose(work.caseID, BookingRequest(travellerIDs: [traveller],
                                                                                    segments: route.segments(departing: route.departure(after: work.staff.now))))
            }
            try await work.verifyTravel(status: "arrived", bookable: false, bookings: [(bookingID, "arrived", nil)]) { view in
                let booking = view.bookings.first
                return CaseWork.firstDifference([
                    ("travellers", booking?.travellerIDs.map(\.rawValue).joined(separator: ",") ?? "", traveller.rawValue),
                    ("departed", booking?.departedAt == nil ? "no" : "yes", "yes"),
                    ("special services", "\(booking?.items?.count ?? 0)", "0"),
                ])
            }
            try await run.verify("reintegration: closed completed, EUR 1,500 budget fully disbursed, plan approved by a supervisor") {
                let view = try await work.reintegrationCase()
                return CaseWork.firstDifference([
                    ("status", view.status, "closed"),
                    ("outcome", view.outcome?.rawValue ?? "-", "completed"),
                    ("budget", CaseWork.money(view.budget), "EUR \(ProgrammeFacts.genericFullBudgetMinor)"),
                    ("disbursed", CaseWork.money(view.disbursed), "EUR \(ProgrammeFacts.genericFullBudgetMinor)"),
                    ("plan", "\(view.plan?.status ?? "-"), \(CaseWork.fourEyes(author: view.plan?.author, approver: view.plan?.approvedBy))",
                     "approved, written and approved by two people"),
                    ("referrals", view.referrals.map { "\($0.partnerName): \($0.status.rawValue)" }.joined(separator: ", "), "\(partner): completed"),
                    ("ledger entries", "\(view.ledger.count)", "2"),
                    ("visits", "\(view.visits.count)", "1"),
                ])
            }
        }
    }
}
