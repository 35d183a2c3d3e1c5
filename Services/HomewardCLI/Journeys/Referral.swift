import Foundation

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

    var json: JSON {
        var immigration: [String: JSON] = [
            "leaveApplicationFiled": .bool(leaveApplicationFiled), "appealFiled": .bool(appealFiled),
            "designatedCountryOfOrigin": .bool(designatedCountryOfOrigin), "claimWithdrawnOrAbandoned": .bool(claimWithdrawnOrAbandoned),
        ]
        if let finalNegativeDecisionOn { immigration["finalNegativeDecisionOn"] = JSON(finalNegativeDecisionOn) }
        return [
            "programmeID": JSON(programmeID), "referringAuthority": JSON(referringAuthority),
            "referredAt": JSON(instant: referredAt), "firstContactAt": JSON(instant: firstContactAt),
            "principal": people[0].json, "dependants": .array(people.dropFirst().map(\.json)),
            "returnCountry": JSON(returnCountry), "returnCity": JSON(returnCity),
            "currentLocation": ["city": JSON(city), "area": JSON(area)],
            "immigration": .object(immigration),
            "vulnerabilities": JSON(vulnerabilities),
            "consents": .array(consents.map { ["purpose": JSON($0.purpose), "granted": .bool($0.granted)] }),
        ]
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
