public import Foundation

/// The programme's rules decided (or re-decided) whether the case is eligible.
///
/// Consumers: travel booking (a case is bookable only while eligible; the target date),
/// reintegration (the budget to open the case with). The latest decision wins.
public struct EligibilityDecided: EventPayload {
    public static let eventType = EventType("intake.eligibility-decided", major: 1)
    public static let producer = ServiceName.intake

    public var eligible: Bool
    /// The rules the case fails: empty when eligible, never empty when not. Rule kinds
    /// only, never the facts behind them.
    public var reasons: [EligibilityRule]
    /// Present when eligible: the tier and in-kind budget reintegration works with.
    public var assistance: AssistanceGrant?
    /// The programme's target for departure (pilot: 30 days after the final negative
    /// decision); travel needs a recorded reason to depart after it. Absent when the
    /// programme sets none or the case is not eligible.
    public var targetDepartureBy: Date?

    public init(eligible: Bool, reasons: [EligibilityRule] = [], assistance: AssistanceGrant? = nil, targetDepartureBy: Date? = nil) {
        self.eligible = eligible
        self.reasons = reasons
        self.assistance = assistance
        self.targetDepartureBy = targetDepartureBy
    }

    public static var examples: [EligibilityDecided] {
        [
            EligibilityDecided(
                eligible: true, assistance: AssistanceGrant(tier: .full, budget: Example.cad(2_000)),
                targetDepartureBy: Example.instant("2013-04-30T03:59:59.999Z")),
            EligibilityDecided(eligible: true, assistance: AssistanceGrant(tier: .reduced, budget: Example.cad(1_000))),
            EligibilityDecided(
                eligible: true, assistance: AssistanceGrant(tier: .designatedCountryOfOrigin, budget: Example.cad(500)),
                targetDepartureBy: Example.instant("2014-01-15T04:59:59.999Z")),
            EligibilityDecided(eligible: true, assistance: AssistanceGrant(tier: .travelOnly, budget: Example.cad(0))),
            EligibilityDecided(eligible: false, reasons: [.programmeWindow, .residenceArea, .finalNegativeDecision]),
            EligibilityDecided(eligible: false, reasons: [.claimNotWithdrawnOrAbandoned, .returnCountryCovered]),
            EligibilityDecided(eligible: false, reasons: [.assistanceTier]),
        ]
    }
}
