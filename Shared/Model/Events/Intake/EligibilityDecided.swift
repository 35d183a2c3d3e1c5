public import Foundation

/// The programme's rules decided (or re-decided) whether the case is eligible.
///
/// Consumers: travel booking (a case is bookable only while eligible; the target date),
/// reintegration (the budget to open the case with). The latest decision wins.
public struct EligibilityDecided: EventPayload {
    public static let eventType = EventType("intake.eligibility-decided", major: 1)

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
}
