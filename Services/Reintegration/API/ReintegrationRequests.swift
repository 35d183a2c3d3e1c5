public import Foundation
public import HomewardModel

/// The four assessments a plan builds on.
public enum AssessmentKind: String, Codable, Sendable, ClosedSet {
    case needs, vulnerability, family, skills
}

public struct AssessmentInput: Codable, Sendable {
    public var kind: AssessmentKind
    public var summary: String
    @FromToken public var recordedBy: String
    public init(kind: AssessmentKind, summary: String, recordedBy: String = "") {
        self.kind = kind; self.summary = summary; self.recordedBy = recordedBy
    }
}

public struct PlanInput: Codable, Sendable {
    public var items: [PlanItemInput]
    @FromToken public var recordedBy: String
    public init(items: [PlanItemInput], recordedBy: String = "") { self.items = items; self.recordedBy = recordedBy }
}

public struct PlanItemInput: Codable, Sendable {
    public var dimension: ReintegrationDimension
    public var category: AssistanceCategory
    public var partner: String
    public var description: String
    public var plannedAmount: Money
    public init(dimension: ReintegrationDimension, category: AssistanceCategory, partner: String, description: String, plannedAmount: Money) {
        self.dimension = dimension; self.category = category; self.partner = partner; self.description = description
        self.plannedAmount = plannedAmount
    }
}

public struct ApprovalInput: Codable, Sendable {
    @FromToken public var approvedBy: String
    public init(approvedBy: String = "") { self.approvedBy = approvedBy }
}

/// A referral of an open case to a partner of the directory (`GET /partners`) for one of
/// the services it offers; it starts `sent`.
public struct ReferralInput: Codable, Sendable {
    /// The partner's id in the directory.
    public var partnerID: String
    public var service: AssistanceCategory
    /// Free text for the partner (sealed; erased with the person's data); blank counts as none.
    public var note: String?
    @FromToken public var recordedBy: String
    public init(partnerID: String, service: AssistanceCategory, note: String? = nil, recordedBy: String = "") {
        self.partnerID = partnerID; self.service = service; self.note = note; self.recordedBy = recordedBy
    }
}

/// Where a referral stands: `sent`, then `accepted` or `declined` by the partner;
/// accepted, `in-progress` and then `completed`; `cancelled` by the office at any time
/// before it ends.
public enum ReferralStatus: String, Codable, Sendable, ClosedSet {
    case sent, accepted, declined
    case inProgress = "in-progress"
    case completed, cancelled
}

/// The next step of a referral, as the partner told the officer (or the office's own
/// cancellation).
public struct ReferralStepInput: Codable, Sendable {
    public var status: ReferralStatus
    /// Why the partner declined (required then) or the office cancelled, or a note on
    /// any step; free text, sealed and erased with the person's data.
    public var reason: String?
    @FromToken public var recordedBy: String
    public init(status: ReferralStatus, reason: String? = nil, recordedBy: String = "") {
        self.status = status; self.reason = reason; self.recordedBy = recordedBy
    }
}

/// What was delivered in kind, by which partner, when, and its value.
public struct DisbursementInput: Codable, Sendable {
    public var itemID: PlanItemID
    public var delivered: String
    public var partner: String
    public var deliveredAt: Date
    public var value: Money
    @FromToken public var recordedBy: String
    public init(itemID: PlanItemID, delivered: String, partner: String, deliveredAt: Date, value: Money, recordedBy: String = "") {
        self.itemID = itemID; self.delivered = delivered; self.partner = partner; self.deliveredAt = deliveredAt; self.value = value
        self.recordedBy = recordedBy
    }
}

public struct VisitInput: Codable, Sendable {
    public var visitedAt: Date
    /// Answers to the sustainability survey, by indicator id.
    public var answers: [String: Int]
    @FromToken public var recordedBy: String
    public init(visitedAt: Date, answers: [String: Int], recordedBy: String = "") {
        self.visitedAt = visitedAt; self.answers = answers; self.recordedBy = recordedBy
    }
}

public struct ClosureInput: Codable, Sendable {
    public var outcome: ReintegrationOutcome
    @FromToken public var recordedBy: String
    public init(outcome: ReintegrationOutcome, recordedBy: String = "") { self.outcome = outcome; self.recordedBy = recordedBy }
}

public struct ReversalInput: Codable, Sendable {
    @FromToken public var recordedBy: String
    public init(recordedBy: String = "") { self.recordedBy = recordedBy }
}

/// What the partner provides when the family lands.
public enum ReceptionNeed: String, Codable, Sendable, ClosedSet {
    case airportPickup = "airport-pickup"
    case escort
    case temporaryAccommodation = "temporary-accommodation"
}

/// The reception needs of an expected (or open) case, replacing any recorded before.
public struct ReceptionInput: Codable, Sendable {
    /// Each need once; none is a reception that needs nothing.
    public var needs: [ReceptionNeed]
    /// Free text for the partner; blank counts as none.
    public var note: String?
    @FromToken public var recordedBy: String
    public init(needs: [ReceptionNeed], note: String? = nil, recordedBy: String = "") {
        self.needs = needs; self.note = note; self.recordedBy = recordedBy
    }
}
