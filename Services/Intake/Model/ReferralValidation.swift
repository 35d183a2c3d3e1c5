import Foundation
import HomewardModel
import HomewardRuntime

/// Checks a referral before anything is written: each failure is a problem document that
/// names the field and the rule, and never quotes the value.
enum ReferralValidation {
    static func validate(_ r: ReferralRequest, programmes: ProgrammeCatalogue, now: Date) throws(Problem) {
        guard let programme = programmes.programme(r.programmeID) else {
            throw invalid("/programmeID", "unknown-programme", "no programme with this id; known: \(programmes.programmes.keys.sorted().joined(separator: ", "))")
        }
        try required(r.referringAuthority, "/referringAuthority")
        try required(r.recordedBy, "/recordedBy")
        try required(r.currentLocation.city, "/currentLocation/city")
        try required(r.currentLocation.area, "/currentLocation/area")
        guard r.referredAt <= now else { throw invalid("/referredAt", "referral-in-future", "the referral time is in the future") }
        guard r.firstContactAt >= r.referredAt else {
            throw invalid("/firstContactAt", "contact-before-referral", "first contact is before the referral")
        }
        guard r.firstContactAt <= now else { throw invalid("/firstContactAt", "contact-in-future", "first contact is in the future") }
        try country(r.returnCountry, "/returnCountry")
        if let decision = r.immigration.finalNegativeDecisionOn {
            let referralDay = LocalDate.containing(r.referredAt, in: programme.zone)
            guard decision <= referralDay else {
                throw invalid("/immigration/finalNegativeDecisionOn", "decision-after-referral", "the final negative decision is dated after the referral")
            }
        }
        let today = LocalDate.containing(now, in: programme.zone)
        try traveller(r.principal, "/principal", today: today)
        if let role = r.principal.relationship, role != .principal {
            throw invalid("/principal/relationship", "principal-relationship", "the principal applicant's relationship is 'principal'")
        }
        var seen: Set<String> = [identity(r.principal)]
        for (i, dependant) in (r.dependants ?? []).enumerated() {
            let path = "/dependants/\(i)"
            try traveller(dependant, path, today: today)
            guard let role = dependant.relationship else {
                throw invalid(path + "/relationship", "dependant-without-relationship", "a dependant needs their relationship to the principal")
            }
            guard role != .principal else {
                throw invalid(path + "/relationship", "one-principal", "a case has exactly one principal applicant")
            }
            guard seen.insert(identity(dependant)).inserted else {
                throw invalid(path, "duplicate-traveller", "this traveller is already in the case (same names and date of birth)")
            }
        }
        var purposes: Set<ConsentPurpose> = []
        for (i, consent) in (r.consents ?? []).enumerated() {
            guard purposes.insert(consent.purpose).inserted else {
                throw invalid("/consents/\(i)/purpose", "duplicate-consent", "this purpose is given twice")
            }
        }
        if let vulnerabilities = r.vulnerabilities, Set(vulnerabilities).count != vulnerabilities.count {
            throw invalid("/vulnerabilities", "duplicate-vulnerability", "a vulnerability is listed twice")
        }
    }

    static func traveller(_ t: TravellerInput, _ path: String, today: LocalDate) throws(Problem) {
        try required(t.givenName, path + "/givenName")
        try required(t.familyName, path + "/familyName")
        guard t.dateOfBirth <= today else { throw invalid(path + "/dateOfBirth", "birth-in-future", "the date of birth is in the future") }
        guard t.dateOfBirth.age(on: today) <= 130 else { throw invalid(path + "/dateOfBirth", "implausible-age", "the date of birth gives an age over 130") }
        try country(t.nationality, path + "/nationality")
    }

    static func identity(_ t: TravellerInput) -> String {
        "\(t.givenName.lowercased().trimmingCharacters(in: .whitespaces))|\(t.familyName.lowercased().trimmingCharacters(in: .whitespaces))|\(t.dateOfBirth)"
    }

    static func required(_ text: String, _ field: String) throws(Problem) {
        guard !text.isBlank else {
            throw invalid(field, "required", "a non-empty value is required")
        }
    }

    static func country(_ code: String, _ field: String) throws(Problem) {
        guard code.count == 2, code.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
            throw invalid(field, "country-code", "an ISO 3166-1 alpha-2 code in capitals is expected (e.g. CO)")
        }
    }

    static func invalid(_ field: String, _ rule: String, _ detail: String) -> Problem {
        Problem(status: .unprocessableContent, rule: rule, field: field, detail: detail)
    }
}
