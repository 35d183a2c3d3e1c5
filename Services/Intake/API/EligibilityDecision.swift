public import Foundation
public import HomewardModel

/// What a programme's rules decided for one case, and why: every rule evaluated, passed
/// or not, in a fixed order, so a caseworker sees the whole picture (not just the first
/// failure) and two decisions on the same facts compare equal.
///
/// Reasons hold dates, codes and facts only, never names or identifiers: the decision is
/// stored with the case and shown on screens, and its rule kinds go out in the
/// `EligibilityDecided` event.
public struct EligibilityDecision: Codable, Sendable, Equatable {
    public let programmeID: String
    /// True when every rule passed.
    public let eligible: Bool
    /// One entry per rule, in the order of ``Rule/allCases``.
    public let reasons: [Reason]
    /// The tier and budget granted; only when eligible.
    public let assistance: AssistanceGrant?
    /// The end of the programme's departure target day; only when eligible, the
    /// programme sets a target and a final negative decision date is known.
    public let targetDepartureBy: Date?
    /// Things a caseworker should look at that do not refuse the case.
    public let flags: [Flag]

    /// The rules a programme can apply, in the order they are evaluated and listed: the
    /// shared contract's kinds, which `EligibilityDecided` carries.
    public typealias Rule = EligibilityRule

    /// One rule's outcome with a sentence a caseworker can read
    /// ("referred on 2015-04-01, after the programme closed on 2015-03-31").
    public struct Reason: Codable, Sendable, Equatable {
        /// A ``Rule`` raw value.
        public let rule: String
        public let passed: Bool
        public let detail: String
        public init(rule: String, passed: Bool, detail: String) { self.rule = rule; self.passed = passed; self.detail = detail }
    }

    /// A remark on the case that does not affect eligibility.
    public enum Flag: String, Codable, Sendable, ClosedSet {
        /// The first contact came later after the referral than the programme asks.
        case lateContact = "late-contact"
    }

    /// The failed rules, in evaluation order, for the `EligibilityDecided` event.
    public var failedRules: [EligibilityRule] {
        reasons.filter { !$0.passed }.compactMap { EligibilityRule(rawValue: $0.rule) }
    }
    public init(programmeID: String, eligible: Bool, reasons: [Reason], assistance: AssistanceGrant? = nil, targetDepartureBy: Date? = nil,
                flags: [Flag]) {
        self.programmeID = programmeID; self.eligible = eligible; self.reasons = reasons; self.assistance = assistance
        self.targetDepartureBy = targetDepartureBy; self.flags = flags
    }
}
