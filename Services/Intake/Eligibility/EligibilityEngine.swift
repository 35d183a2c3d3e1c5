import Foundation
import HomewardModel
import IntakeAPI

/// Decides eligibility: a pure function from a case's facts and a programme's rules to a
/// decision, with no clock, store or configuration of its own. The same facts under the
/// same programme always give the same decision, which is what makes a re-assessment
/// after facts change, and every test here, trustworthy.
///
/// Every rule is evaluated even after one fails, so the decision lists every reason.
enum EligibilityEngine {
    typealias Rule = EligibilityDecision.Rule
    typealias Reason = EligibilityDecision.Reason

    static func decide(_ facts: EligibilityFacts, under programme: Programme) -> EligibilityDecision {
        let tierIndex = programme.tiers.firstIndex {
            $0.when.hold(
                designatedCountryOfOrigin: facts.designatedCountryOfOrigin,
                leaveApplicationFiled: facts.leaveApplicationFiled, appealFiled: facts.appealFiled)
        }
        let reasons = [
            window(facts, programme),
            residenceArea(facts, programme),
            finalNegativeDecision(facts, programme),
            claimNotWithdrawnOrAbandoned(facts, programme),
            returnCountry(facts, programme),
            assistanceTier(facts, programme, tierIndex),
        ]
        let eligible = reasons.allSatisfy(\.passed)

        var assistance: AssistanceGrant?
        var targetDepartureBy: Date?
        if eligible, let tierIndex {
            let tier = programme.tiers[tierIndex]
            assistance = AssistanceGrant(tier: tier.tier, budget: Money(amountMinor: tier.budgetMinor, currency: programme.currency))
            if let decided = facts.finalNegativeDecisionOn, let days = programme.targetDepartureDaysAfterDecision {
                targetDepartureBy = decided.adding(days: days).end(in: programme.calendarTimeZone)
            }
        }

        var flags: [EligibilityDecision.Flag] = []
        if let hours = programme.contactWithinHours {
            // Whole milliseconds, the precision instants travel with, so that exactly
            // 24 hours is never flagged through floating-point noise.
            let elapsed = (facts.firstContactAt.timeIntervalSince(facts.referredAt) * 1_000).rounded()
            if elapsed > Double(hours) * 3_600_000 { flags.append(.lateContact) }
        }

        return EligibilityDecision(
            programmeID: programme.id, eligible: eligible, reasons: reasons, assistance: assistance,
            targetDepartureBy: targetDepartureBy, flags: flags)
    }

    // MARK: Rules, in the order of EligibilityDecision.Rule.allCases

    private static func window(_ facts: EligibilityFacts, _ programme: Programme) -> Reason {
        guard let window = programme.window else {
            return Reason(rule: Rule.programmeWindow.rawValue, passed: true, detail: "the programme accepts referrals at any time")
        }
        let referred = LocalDate.containing(facts.referredAt, in: programme.calendarTimeZone)
        if referred < window.opensOn {
            return Reason(
                rule: Rule.programmeWindow.rawValue, passed: false,
                detail: "referred on \(referred), before the programme opened on \(window.opensOn)")
        }
        if referred > window.closesOn {
            return Reason(
                rule: Rule.programmeWindow.rawValue, passed: false,
                detail: "referred on \(referred), after the programme closed on \(window.closesOn)")
        }
        return Reason(
            rule: Rule.programmeWindow.rawValue, passed: true,
            detail: "referred on \(referred), within the programme window \(window.opensOn) to \(window.closesOn)")
    }

    private static func residenceArea(_ facts: EligibilityFacts, _ programme: Programme) -> Reason {
        guard let areas = programme.residenceAreas else {
            return Reason(rule: Rule.residenceArea.rawValue, passed: true, detail: "the programme accepts any area of residence")
        }
        if let area = areas.first(where: { $0.caseInsensitiveCompare(facts.residenceArea) == .orderedSame }) {
            return Reason(rule: Rule.residenceArea.rawValue, passed: true, detail: "resides in \(area), which the programme covers")
        }
        return Reason(
            rule: Rule.residenceArea.rawValue, passed: false,
            detail: "resides in \(facts.residenceArea), outside the programme's areas (\(areas.joined(separator: ", ")))")
    }

    private static func finalNegativeDecision(_ facts: EligibilityFacts, _ programme: Programme) -> Reason {
        let rule = Rule.finalNegativeDecision.rawValue
        guard programme.requiresFinalNegativeDecision else {
            return Reason(rule: rule, passed: true, detail: "the programme does not require a final negative decision")
        }
        guard let decided = facts.finalNegativeDecisionOn else {
            return Reason(rule: rule, passed: false, detail: "no final negative decision is recorded, and the programme requires one")
        }
        return Reason(rule: rule, passed: true, detail: "final negative decision on \(decided)")
    }

    private static func claimNotWithdrawnOrAbandoned(_ facts: EligibilityFacts, _ programme: Programme) -> Reason {
        let rule = Rule.claimNotWithdrawnOrAbandoned.rawValue
        switch (facts.claimWithdrawnOrAbandoned, programme.refusesWithdrawnOrAbandonedClaims) {
        case (false, _):
            return Reason(rule: rule, passed: true, detail: "the claim was neither withdrawn nor abandoned")
        case (true, true):
            return Reason(rule: rule, passed: false, detail: "the claim was withdrawn or abandoned, which the programme refuses")
        case (true, false):
            return Reason(rule: rule, passed: true, detail: "the claim was withdrawn or abandoned, which the programme accepts")
        }
    }

    private static func returnCountry(_ facts: EligibilityFacts, _ programme: Programme) -> Reason {
        let rule = Rule.returnCountryCovered.rawValue
        guard let countries = programme.returnCountries else {
            return Reason(rule: rule, passed: true, detail: "the programme covers returns to any country")
        }
        let country = facts.returnCountry.uppercased()
        if countries.contains(country) {
            return Reason(rule: rule, passed: true, detail: "the programme covers returns to \(country)")
        }
        return Reason(rule: rule, passed: false, detail: "the programme does not cover returns to \(country)")
    }

    private static func assistanceTier(_ facts: EligibilityFacts, _ programme: Programme, _ index: Int?) -> Reason {
        let rule = Rule.assistanceTier.rawValue
        guard let index else {
            let stated = describe(Programme.Conditions(
                designatedCountryOfOrigin: facts.designatedCountryOfOrigin,
                leaveApplicationFiled: facts.leaveApplicationFiled, appealFiled: facts.appealFiled))
            return Reason(rule: rule, passed: false, detail: "no assistance tier of the programme applies to a case with \(stated)")
        }
        let tier = programme.tiers[index]
        let budget = format(minor: tier.budgetMinor, currency: programme.currency)
        return Reason(
            rule: rule, passed: true,
            detail: "tier \(index + 1), \(tier.tier.rawValue), applies (\(describe(tier.when))): budget \(budget)")
    }

    // MARK: Sentences

    private static func describe(_ conditions: Programme.Conditions) -> String {
        var parts: [String] = []
        if let dco = conditions.designatedCountryOfOrigin {
            parts.append(dco ? "designated country of origin" : "not a designated country of origin")
        }
        if let leave = conditions.leaveApplicationFiled {
            parts.append(leave ? "leave application filed" : "no leave application")
        }
        if let appeal = conditions.appealFiled {
            parts.append(appeal ? "appeal filed" : "no appeal")
        }
        return parts.isEmpty ? "any case" : parts.joined(separator: ", ")
    }

    /// ISO 4217 currencies whose minor unit is not a hundredth.
    private static let minorUnitDigits: [String: Int] = [
        "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0,
        "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
        "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
        "CLF": 4, "UYW": 4,
    ]

    /// "CAD 2,000.00" from 200000 minor units; plain digits, independent of any locale.
    static func format(minor: Int64, currency: String) -> String {
        let digits = minorUnitDigits[currency] ?? 2
        let magnitude = minor.magnitude
        var scale: UInt64 = 1
        for _ in 0..<digits { scale *= 10 }
        var whole = String(magnitude / scale)
        var grouped = ""
        while whole.count > 3 {
            grouped = "," + whole.suffix(3) + grouped
            whole = String(whole.dropLast(3))
        }
        grouped = whole + grouped
        var text = "\(currency) \(minor < 0 ? "-" : "")\(grouped)"
        if digits > 0 {
            let fraction = String(magnitude % scale)
            text += "." + String(repeating: "0", count: digits - fraction.count) + fraction
        }
        return text
    }
}
