import Foundation
import HomewardModel
import IntakeAPI

/// A referral as a caseworker registers it (`POST /cases`).
struct Referral: Sendable {
    var programmeID: String
    var referringAuthority = "CBSA"
    var referredAt: Date
    var firstContactAt: Date
    var people: [Person]
    var returnCountry: String
    var returnCity: String
    var city = "Toronto"
    var area = "GTA"
    var finalNegativeDecisionOn: String?
    var leaveApplicationFiled = false
    var appealFiled = false
    var designatedCountryOfOrigin = false
    var claimWithdrawnOrAbandoned = false
    var vulnerabilities: [String] = []
    /// Consents given at registration, by purpose.
    var consents: [(purpose: String, granted: Bool)] = [("processing", true), ("sharing-with-reintegration-partner", true)]
    /// Set for a family that has already returned (a late entry).
    var lateEntry: LateEntry?

    var request: ReferralRequest {
        ReferralRequest(
            programmeID: programmeID, referringAuthority: referringAuthority, referredAt: referredAt, firstContactAt: firstContactAt,
            principal: people[0].input, dependants: people.dropFirst().map(\.input), returnCountry: returnCountry, returnCity: returnCity,
            currentLocation: Location(city: city, area: area),
            immigration: ImmigrationFacts(finalNegativeDecisionOn: finalNegativeDecisionOn.map { LocalDate($0)! }, leaveApplicationFiled: leaveApplicationFiled,
                                          appealFiled: appealFiled, designatedCountryOfOrigin: designatedCountryOfOrigin,
                                          claimWithdrawnOrAbandoned: claimWithdrawnOrAbandoned),
            vulnerabilities: vulnerabilities.map { Vulnerability(rawValue: $0)! },
            consents: consents.map { ConsentInput(purpose: ConsentPurpose(rawValue: $0.purpose)!, granted: $0.granted) }, lateEntry: lateEntry)
    }

    /// A referral under the generic programme, referred three days before `now` and
    /// contacted the next morning.
    static func generic(_ people: [Person], returnCountry: String, returnCity: String, now: Date) -> Referral {
        let referred = now.addingTimeInterval(-3 * 86_400)
        return Referral(programmeID: ProgrammeFacts.generic, referredAt: referred, firstContactAt: referred.addingTimeInterval(18 * 3_600),
                        people: people, returnCountry: returnCountry, returnCity: returnCity)
    }

    /// A referral by CBSA under the Canadian GTA pilot: referred on a weekday afternoon
    /// inside the pilot's window (from January 2013, a different day per seed), contacted
    /// five hours later, with the final negative decision three weeks before.
    static func canadaPilot(_ people: [Person], returnCountry: String, returnCity: String, seed: Int) -> Referral {
        // 2013-01-14T19:30Z is 14:30 in Toronto; 780 days stay inside the window (to 2015-03-04).
        let referred = Date(timeIntervalSince1970: 1_358_191_800).addingTimeInterval(Double(seed % 780) * 86_400)
        let decided = Instants.day(yearsBefore: 0, days: 21, of: referred)
        return Referral(programmeID: ProgrammeFacts.canadaPilot, referredAt: referred, firstContactAt: referred.addingTimeInterval(5 * 3_600),
                        people: people, returnCountry: returnCountry, returnCity: returnCity, finalNegativeDecisionOn: decided)
    }
}
