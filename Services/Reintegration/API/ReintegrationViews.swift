public import Foundation
public import HomewardModel

/// A reintegration case as officers see it: the arrival expected and reception, budget,
/// assessments, plan, ledger, visits.
public struct ReintegrationCaseView: Codable, Sendable {
    public var caseID: CaseID
    public var status: String
    public var returnCountry: String?
    public var budget: Money?
    public var disbursed: Money?
    /// While the case is `expected`: the confirmed booking's arrival.
    public var expectedArrival: ExpectedArrival?
    /// Once a reintegration officer recorded it; kept on arrival.
    public var reception: ReceptionView?
    public var arrivedAt: Date?
    /// Set for a late entry: how the family returned without this programme's travel (its
    /// `arrivedAt` is then the start of the day of return, UTC).
    public var lateEntry: LateEntryReason?
    public var openedAt: Date?
    public var assessments: [AssessmentKind]
    public var plan: PlanView?
    /// In the order sent, each with its steps.
    public var referrals: [ReferralView]
    public var ledger: [LedgerEntry]
    public var visits: [VisitView]
    public var outcome: ReintegrationOutcome?
    public init(caseID: CaseID, status: String, returnCountry: String? = nil, budget: Money? = nil, disbursed: Money? = nil,
                expectedArrival: ExpectedArrival? = nil, reception: ReceptionView? = nil, arrivedAt: Date? = nil,
                lateEntry: LateEntryReason? = nil, openedAt: Date? = nil, assessments: [AssessmentKind], plan: PlanView? = nil, referrals: [ReferralView], ledger: [LedgerEntry],
                visits: [VisitView], outcome: ReintegrationOutcome? = nil) {
        self.caseID = caseID; self.status = status; self.returnCountry = returnCountry; self.budget = budget; self.disbursed = disbursed
        self.expectedArrival = expectedArrival; self.reception = reception
        self.arrivedAt = arrivedAt; self.lateEntry = lateEntry; self.openedAt = openedAt; self.assessments = assessments; self.plan = plan; self.referrals = referrals
        self.ledger = ledger; self.visits = visits; self.outcome = outcome
    }
}

/// The confirmed booking an expected case waits for: where and when the family lands.
public struct ExpectedArrival: Codable, Sendable, Equatable {
    public var bookingID: BookingID
    /// Scheduled arrival of the last segment.
    public var arrivalAt: Date
    /// IATA code of the final arrival airport.
    public var arrivalAirport: String
    /// IATA flight number of the last segment.
    public var flightNumber: String
    public init(bookingID: BookingID, arrivalAt: Date, arrivalAirport: String, flightNumber: String) {
        self.bookingID = bookingID; self.arrivalAt = arrivalAt; self.arrivalAirport = arrivalAirport; self.flightNumber = flightNumber
    }
}

/// What the partner provides on arrival, as a reintegration officer recorded it.
public struct ReceptionView: Codable, Sendable {
    /// In the set's order: airport pickup, escort, temporary accommodation.
    public var needs: [ReceptionNeed]
    /// Absent when none was given, and once the case's personal data is erased.
    public var note: String?
    public var recordedBy: String
    public var recordedAt: Date
    public init(needs: [ReceptionNeed], note: String? = nil, recordedBy: String, recordedAt: Date) {
        self.needs = needs; self.note = note; self.recordedBy = recordedBy; self.recordedAt = recordedAt
    }
}

public struct PlanView: Codable, Sendable {
    public var status: String
    public var author: String
    public var approvedBy: String?
    /// The version submitted, for `If-Match` on `PUT /cases/{caseID}/plan`.
    public var etag: String
    public var items: [ItemView]
    public init(status: String, author: String, approvedBy: String? = nil, etag: String, items: [ItemView]) {
        self.status = status; self.author = author; self.approvedBy = approvedBy; self.etag = etag; self.items = items
    }
}

public struct ItemView: Codable, Sendable {
    public var itemID: PlanItemID
    public var dimension: ReintegrationDimension
    public var category: AssistanceCategory
    public var partner: String
    /// Absent once the case's personal data is erased.
    public var description: String?
    public var plannedAmount: Money
    public var disbursed: Money
    public init(itemID: PlanItemID, dimension: ReintegrationDimension, category: AssistanceCategory, partner: String, description: String? = nil,
                plannedAmount: Money, disbursed: Money) {
        self.itemID = itemID; self.dimension = dimension; self.category = category; self.partner = partner; self.description = description
        self.plannedAmount = plannedAmount; self.disbursed = disbursed
    }
}

public struct LedgerEntry: Codable, Sendable {
    public var disbursementID: DisbursementID
    public var itemID: PlanItemID
    /// Absent once the case's personal data is erased.
    public var delivered: String?
    public var partner: String
    public var deliveredAt: Date
    public var value: Money
    public var reverses: DisbursementID?
    public init(disbursementID: DisbursementID, itemID: PlanItemID, delivered: String? = nil, partner: String, deliveredAt: Date, value: Money,
                reverses: DisbursementID? = nil) {
        self.disbursementID = disbursementID; self.itemID = itemID; self.delivered = delivered; self.partner = partner
        self.deliveredAt = deliveredAt; self.value = value; self.reverses = reverses
    }
}

public struct VisitView: Codable, Sendable {
    public var visitedAt: Date
    public var scores: SustainabilityScores
    public init(visitedAt: Date, scores: SustainabilityScores) { self.visitedAt = visitedAt; self.scores = scores }
}

public struct CaseLine: Codable, Sendable {
    public var caseID: CaseID
    public var status: String
    public var returnCountry: String?
    public var budget: Money?
    public var disbursed: Money?
    public var lastVisitAt: Date?
    /// On the `expected` list: the arrival reception prepares for.
    public var expectedArrival: ExpectedArrival?
    public init(caseID: CaseID, status: String, returnCountry: String? = nil, budget: Money? = nil, disbursed: Money? = nil, lastVisitAt: Date? = nil,
                expectedArrival: ExpectedArrival? = nil) {
        self.caseID = caseID; self.status = status; self.returnCountry = returnCountry; self.budget = budget; self.disbursed = disbursed
        self.lastVisitAt = lastVisitAt; self.expectedArrival = expectedArrival
    }
}

public struct CaseLines: Codable, Sendable {
    public var list: String
    public var cases: [CaseLine]
    /// `after` for the next page; absent on the last.
    public var next: String?
    public init(list: String, cases: [CaseLine], next: String? = nil) { self.list = list; self.cases = cases; self.next = next }
}
