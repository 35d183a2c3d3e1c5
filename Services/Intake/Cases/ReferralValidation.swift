import Foundation
import HomewardModel
import HomewardRuntime
import IntakeAPI

/// Checks a referral before anything is written: each failure names the field and the
/// rule (``IntakeRefusal``, ``BlankField``), never the value.
enum ReferralValidation {
    static func validate(_ r: ReferralRequest, programmes: ProgrammeCatalogue, now: Date) throws {
        guard let programme = programmes.programme(r.programmeID) else {
            throw IntakeRefusal.unknownProgramme(known: programmes.programmes.keys.sorted())
        }
        try BlankField.check(r.referringAuthority, at: "/referringAuthority")
        try BlankField.check(r.recordedBy, at: "/recordedBy")
        try location(r.currentLocation)
        guard r.referredAt <= now else { throw IntakeRefusal.referralInFuture }
        guard r.firstContactAt >= r.referredAt else {
            throw IntakeRefusal.contactBeforeReferral
        }
        guard r.firstContactAt <= now else { throw IntakeRefusal.contactInFuture }
        try country(r.returnCountry, "/returnCountry")
        try immigration(r.immigration, referredAt: r.referredAt, under: programme)
        let today = LocalDate.containing(now, in: programme.zone)
        try traveller(r.principal, "/principal", today: today)
        try relationship(r.principal.relationship, ofPrincipal: true, at: "/principal/relationship")
        var seen: Set<String> = [identity(r.principal)]
        for (i, dependant) in (r.dependants ?? []).enumerated() {
            let path = "/dependants/\(i)"
            try traveller(dependant, path, today: today)
            try relationship(dependant.relationship, ofPrincipal: false, at: path + "/relationship")
            guard seen.insert(identity(dependant)).inserted else {
                throw IntakeRefusal.duplicateTraveller(at: path)
            }
        }
        var purposes: Set<ConsentPurpose> = []
        for (i, consent) in (r.consents ?? []).enumerated() {
            guard purposes.insert(consent.purpose).inserted else {
                throw IntakeRefusal.duplicateConsent(at: "/consents/\(i)/purpose")
            }
        }
        try vulnerabilities(r.vulnerabilities)
        if let late = r.lateEntry { try lateEntry(late, referredOn: LocalDate.containing(r.referredAt, in: programme.zone), under: programme) }
    }

    /// A late entry: the programme accepts it, for this reason, this long after the return.
    static func lateEntry(_ late: LateEntry, referredOn: LocalDate, under programme: Programme) throws {
        guard let terms = programme.lateEntry else { throw IntakeRefusal.lateEntryNotAccepted(programme: programme.id) }
        guard terms.reasons.contains(late.reason) else { throw IntakeRefusal.lateEntryReason(accepted: terms.reasons) }
        guard late.returnedOn <= referredOn else { throw IntakeRefusal.returnAfterReferral }
        guard referredOn.daysSince1970 - late.returnedOn.daysSince1970 <= terms.withinDaysOfReturn else {
            throw IntakeRefusal.returnTooLongAgo(days: terms.withinDaysOfReturn)
        }
    }

    static func location(_ location: Location) throws {
        try BlankField.check(location.city, at: "/currentLocation/city")
        try BlankField.check(location.area, at: "/currentLocation/area")
    }

    /// The final negative decision, if any, came before the referral.
    static func immigration(_ facts: ImmigrationFacts, referredAt: Date, under programme: Programme) throws {
        if let decision = facts.finalNegativeDecisionOn, decision > LocalDate.containing(referredAt, in: programme.zone) {
            throw IntakeRefusal.decisionAfterReferral
        }
    }

    static func vulnerabilities(_ vulnerabilities: [Vulnerability]?) throws {
        if let vulnerabilities, Set(vulnerabilities).count != vulnerabilities.count { throw IntakeRefusal.duplicateVulnerability }
    }

    /// The principal's relationship is `principal` or left out; a dependant's is given, and another.
    static func relationship(_ role: FamilyRole?, ofPrincipal principal: Bool, at path: String) throws {
        if principal {
            if let role, role != .principal { throw IntakeRefusal.principalRelationship(at: path) }
        } else {
            guard let role else { throw IntakeRefusal.dependantWithoutRelationship(at: path) }
            guard role != .principal else { throw IntakeRefusal.onePrincipal(at: path) }
        }
    }

    static func traveller(_ t: TravellerInput, _ path: String, today: LocalDate) throws {
        try BlankField.check(t.givenName, at: path + "/givenName")
        try BlankField.check(t.familyName, at: path + "/familyName")
        guard t.dateOfBirth <= today else { throw IntakeRefusal.birthInFuture(at: path + "/dateOfBirth") }
        guard t.dateOfBirth.age(on: today) <= 130 else { throw IntakeRefusal.implausibleAge(at: path + "/dateOfBirth") }
        try country(t.nationality, path + "/nationality")
    }

    static func identity(_ t: TravellerInput) -> String {
        "\(t.givenName.lowercased().trimmingCharacters(in: .whitespaces))|\(t.familyName.lowercased().trimmingCharacters(in: .whitespaces))|\(t.dateOfBirth)"
    }

    static func country(_ code: String, _ field: String) throws {
        guard code.count == 2, code.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
            throw IntakeRefusal.countryCode(at: field)
        }
    }
}
