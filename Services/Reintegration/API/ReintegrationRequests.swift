import Foundation
import HomewardModel
import HomewardRuntime

/// The four assessments a plan builds on.
enum AssessmentKind: String, Codable, Sendable, ClosedSet {
    case needs, vulnerability, family, skills
}

struct AssessmentInput: Codable, Sendable {
    var kind: AssessmentKind
    var summary: String
    @FromToken var recordedBy: String
}

struct PlanInput: Codable, Sendable {
    var items: [PlanItemInput]
    @FromToken var recordedBy: String
}

struct PlanItemInput: Codable, Sendable {
    var dimension: ReintegrationDimension
    var category: AssistanceCategory
    var partner: String
    var description: String
    var plannedAmount: Money
}

struct ApprovalInput: Codable, Sendable {
    @FromToken var approvedBy: String
}

struct ReferralInput: Codable, Sendable {
    var partner: String
    @FromToken var recordedBy: String
}

/// What was delivered in kind, by which partner, when, and its value.
struct DisbursementInput: Codable, Sendable {
    var itemID: PlanItemID
    var delivered: String
    var partner: String
    var deliveredAt: Date
    var value: Money
    @FromToken var recordedBy: String
}

struct VisitInput: Codable, Sendable {
    var visitedAt: Date
    /// Answers to the sustainability survey, by indicator id.
    var answers: [String: Int]
    @FromToken var recordedBy: String
}

struct ClosureInput: Codable, Sendable {
    var outcome: ReintegrationOutcome
    @FromToken var recordedBy: String
}

struct ReversalInput: Codable, Sendable {
    @FromToken var recordedBy: String
}
