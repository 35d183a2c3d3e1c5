import Foundation
import HomewardModel
import HomewardRuntime
import Hummingbird

/// A reintegration case as officers see it: budget, assessments, plan, ledger, visits.
struct ReintegrationCaseView: Codable, Sendable, ResponseEncodable {
    var caseID: CaseID
    var status: String
    var returnCountry: String?
    var budget: Money?
    var disbursed: Money?
    var arrivedAt: Date?
    var openedAt: Date?
    var assessments: [AssessmentKind]
    var plan: PlanView?
    var referrals: [String]
    var ledger: [LedgerEntry]
    var visits: [VisitView]
    var outcome: ReintegrationOutcome?
}

struct PlanView: Codable, Sendable {
    var status: String
    var author: String
    var approvedBy: String?
    /// The version submitted, for `If-Match` on `PUT /cases/{caseID}/plan`.
    var etag: String
    var items: [ItemView]
}

struct ItemView: Codable, Sendable {
    var itemID: PlanItemID
    var dimension: ReintegrationDimension
    var category: AssistanceCategory
    var partner: String
    /// Absent once the case's personal data is erased.
    var description: String?
    var plannedAmount: Money
    var disbursed: Money
}

struct LedgerEntry: Codable, Sendable {
    var disbursementID: DisbursementID
    var itemID: PlanItemID
    /// Absent once the case's personal data is erased.
    var delivered: String?
    var partner: String
    var deliveredAt: Date
    var value: Money
    var reverses: DisbursementID?
}

struct VisitView: Codable, Sendable {
    var visitedAt: Date
    var scores: SustainabilityScores
}

struct CaseLine: Codable, Sendable {
    var caseID: CaseID
    var status: String
    var returnCountry: String?
    var budget: Money?
    var disbursed: Money?
    var lastVisitAt: Date?
}

struct CaseLines: Codable, Sendable, PagedList {
    var list: String
    var cases: [CaseLine]
    /// `after` for the next page; absent on the last.
    var next: String?
}
