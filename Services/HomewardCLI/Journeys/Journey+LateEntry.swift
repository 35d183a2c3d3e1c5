import Foundation
import HomewardModel
import IntakeAPI

extension Journey {
    /// Journey 11: a man who went back to Colombia on his own six weeks ago is registered
    /// for reintegration alone under the generic programme (a late entry); once declared,
    /// reintegration opens his case from the day of return, travel booking never books it
    /// and health screening never hears of him.
    public static func lateEntry(seed: Int = 0) -> Journey {
        Journey(title: "late entry: already returned, reintegration alone", seed: seed) { work, run, people in
            let now = work.staff.now
            let person = people.person("CO", sex: "male", years: 38, spread: 20, relationship: "principal", slot: 0)
            let returnedOn = Instants.day(yearsBefore: 0, days: 42, of: now)
            var referral = Referral.generic([person], returnCountry: "CO", returnCity: "Cali", now: now)
            referral.referringAuthority = "IOM Colombia"
            referral.city = "Cali"
            referral.area = "CO-VAC"
            referral.lateEntry = LateEntry(returnedOn: LocalDate(returnedOn)!, reason: .spontaneousReturn)
            let registered = try await work.register(referral, key: Script.key("late-entry", seed: seed))
            try run.check("intake: a late entry, eligible under the generic programme", CaseWork.firstDifference([
                ("late entry", registered.lateEntry.map { "\($0.reason.rawValue) \($0.returnedOn)" } ?? "-", "spontaneous-return \(returnedOn)"),
                ("eligible", "\(registered.eligibility?.eligible ?? false)", "true"),
            ]))
            run.say("intake registered case \(work.caseID): \(person.name), back in Colombia since \(returnedOn), a late entry")
            try await work.declare()
            run.say("counselled, informed-choice declaration recorded: ready for reintegration, screening and travel skipped")

            let opened = try await work.waitUntilReintegrationOpens()
            try run.check("reintegration: open from the day of return, as a late entry", CaseWork.firstDifference([
                ("late entry", opened.lateEntry?.rawValue ?? "-", "spontaneous-return"),
                ("arrived", opened.arrivedAt.map(Instant.format) ?? "-", "\(returnedOn)T00:00:00.000Z"),
                ("budget", CaseWork.money(opened.budget), "EUR \(ProgrammeFacts.genericFullBudgetMinor)"),
            ]))
            run.say("reintegration opened with a budget of \(CaseWork.display(opened.budget)) in kind")

            try await work.verifyIntake(status: "active", stage: "reintegration", timeline: [
                "registered", "consent-changed", "consent-changed", "eligibility-decided", "counselling", "declaration-recorded", "ready-for-reintegration",
                "reintegration-opened",
            ])
            try await work.verifyTravel(status: "late-entry", bookable: false, bookings: [])
            try await run.verifyAbsence("health: never hears of the traveller") {
                try await work.staff.health.travellerIfPresent(work.travellers[0]).map { _ in "health screening knows \(work.travellers[0])" }
            }
        }
    }
}
