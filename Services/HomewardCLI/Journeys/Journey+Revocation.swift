import Foundation
import HealthScreeningAPI
import HomewardModel

extension Journey {
    /// Journey 6: the referring authority (CBSA) revokes eligibility under the Canadian pilot
    /// after the screenings opened and before any exam: health closes the screenings and
    /// refuses an exam, travel marks the case revoked and not bookable, reintegration never
    /// opens it.
    ///
    /// - Parameter seed: picks the people and the referral day.
    public static func revocation(seed: Int = 0) -> Journey {
        Journey(title: "revocation by the referring authority before screening", seed: seed) { work, run, people in
            let family = [
                people.person("CO", sex: "male", years: 30, spread: 20, relationship: "principal", slot: 0),
                people.person("CO", sex: "male", years: 20, spread: 8, relationship: "sibling", slot: 1),
            ]
            let registered = try await work.register(.canadaPilot(family, returnCountry: "CO", returnCity: "Cali", seed: seed),
                                                     key: Script.key("revocation", seed: seed))
            try run.check("intake: eligible under the pilot, full tier", CaseWork.firstDifference([
                ("eligible", "\(registered.eligibility?.eligible ?? false)", "true"),
                ("tier", registered.eligibility?.assistance?.tier.rawValue ?? "-", "full"),
            ]))
            try await work.declare()
            for traveller in work.travellers { try await work.waitForScreening(traveller) }
            run.say("intake registered case \(work.caseID) under the pilot; screenings opened for both brothers")
            try await work.revoke(by: "CBSA")
            run.say("CBSA revoked eligibility before any exam")

            for traveller in work.travellers {
                try await work.verifyHealth(traveller, status: "closed", screenings: [(.initial, "closed")], preEmbarkation: [])
            }
            try await run.expectRefusal("an exam after the revocation", rule: "traveller-not-active") {
                _ = try await work.staff.health.exam(work.travellers[0], ExamInput(examinedOn: LocalDate(Instants.day(work.staff.now))!,
                                                                                   results: ["urinalysis": "within normal limits"]))
            }
            try run.check("health: refuses an exam after the revocation (traveller-not-active)", nil)
            try await work.verifyTravel(status: "revoked", bookable: false, bookings: [])
            try await work.verifyIntake(status: "revoked", stage: "screening", timeline: [
                "registered", "consent-changed", "consent-changed", "eligibility-decided", "counselling", "declaration-recorded", "ready-for-screening",
                "screening-opened", "screening-opened", "eligibility-revoked",
            ])
            try await work.verifyNoReintegration()
            run.say("screenings closed, travel revoked and not bookable, no reintegration case")
        }
    }
}
