public import Foundation
public import HomewardModel

/// One traveller's health record, for health officers only.
public struct TravellerRecord: Codable, Sendable {
    public var travellerID: TravellerID
    public var caseID: CaseID
    public var ageYears: Int
    public var sex: Sex
    public var status: String
    public var screenings: [ScreeningView]
    public var preEmbarkationChecks: [PreEmbarkationView]
    /// The person withdrew consent to processing: the record is held, no screening, exam,
    /// outcome or check is accepted until intake records the consent given again.
    public var heldForConsent: Bool
    /// When the case's medical detail was erased, by an erasure or past the medical retention
    /// after the travellers left; absent while it is kept.
    public var medicalDetailErasedAt: Date?
    public init(travellerID: TravellerID, caseID: CaseID, ageYears: Int, sex: Sex, status: String, screenings: [ScreeningView],
                preEmbarkationChecks: [PreEmbarkationView], heldForConsent: Bool = false, medicalDetailErasedAt: Date? = nil) {
        self.travellerID = travellerID; self.caseID = caseID; self.ageYears = ageYears; self.sex = sex; self.status = status
        self.screenings = screenings; self.preEmbarkationChecks = preEmbarkationChecks; self.heldForConsent = heldForConsent
        self.medicalDetailErasedAt = medicalDetailErasedAt
    }
}

public struct ScreeningView: Codable, Sendable {
    public var screeningID: Int64
    public var kind: ScreeningKind
    public var status: String
    public var requiredTests: [String]
    public var openedAt: Date
    public var exams: [ExamView]
    public var outcomes: [OutcomeView]
    public init(screeningID: Int64, kind: ScreeningKind, status: String, requiredTests: [String], openedAt: Date, exams: [ExamView],
                outcomes: [OutcomeView]) {
        self.screeningID = screeningID; self.kind = kind; self.status = status; self.requiredTests = requiredTests; self.openedAt = openedAt
        self.exams = exams; self.outcomes = outcomes
    }
}

public struct ExamView: Codable, Sendable {
    public var examinedOn: LocalDate
    public var results: [String: String]
    public var notes: String?
    public var conditions: [String]
    public var recordedBy: String
    public var recordedAt: Date
    public init(examinedOn: LocalDate, results: [String: String], notes: String? = nil, conditions: [String], recordedBy: String, recordedAt: Date) {
        self.examinedOn = examinedOn; self.results = results; self.notes = notes; self.conditions = conditions; self.recordedBy = recordedBy
        self.recordedAt = recordedAt
    }
}

public struct OutcomeView: Codable, Sendable {
    public var outcome: FitnessOutcome
    /// Absent once the case's medical detail is erased.
    public var travelRequirements: [TravelRequirement]?
    public var holdUntil: Date?
    public var validFrom: Date?
    public var validUntil: Date?
    public var recordedBy: String
    public var recordedAt: Date
    public init(outcome: FitnessOutcome, travelRequirements: [TravelRequirement]? = nil, holdUntil: Date? = nil, validFrom: Date? = nil,
                validUntil: Date? = nil, recordedBy: String, recordedAt: Date) {
        self.outcome = outcome; self.travelRequirements = travelRequirements; self.holdUntil = holdUntil; self.validFrom = validFrom
        self.validUntil = validUntil; self.recordedBy = recordedBy; self.recordedAt = recordedAt
    }
}

public struct PreEmbarkationView: Codable, Sendable {
    public var bookingID: BookingID
    public var departureAt: Date
    public var windowFrom: Date
    public var windowTo: Date
    public var status: String
    public var outcome: FitnessOutcome?
    public var travelRequirements: [TravelRequirement]?
    public var holdUntil: Date?
    public var checkedAt: Date?
    public init(bookingID: BookingID, departureAt: Date, windowFrom: Date, windowTo: Date, status: String, outcome: FitnessOutcome? = nil,
                travelRequirements: [TravelRequirement]? = nil, holdUntil: Date? = nil, checkedAt: Date? = nil) {
        self.bookingID = bookingID; self.departureAt = departureAt; self.windowFrom = windowFrom; self.windowTo = windowTo; self.status = status
        self.outcome = outcome; self.travelRequirements = travelRequirements; self.holdUntil = holdUntil; self.checkedAt = checkedAt
    }
}

/// A line of the health officers' work lists: no medical detail.
public struct WorkItem: Codable, Sendable {
    public var travellerID: TravellerID
    public var caseID: CaseID
    /// `screening` or `pre-embarkation`.
    public var kind: String
    public var since: Date
    public var dueBy: Date?
    public var holdUntil: Date?
    /// The person withdrew consent to processing: nothing can be done for the traveller
    /// until it is given again (``TravellerRecord/heldForConsent``).
    public var heldForConsent: Bool
    public init(travellerID: TravellerID, caseID: CaseID, kind: String, since: Date, dueBy: Date? = nil, holdUntil: Date? = nil,
                heldForConsent: Bool = false) {
        self.travellerID = travellerID; self.caseID = caseID; self.kind = kind; self.since = since; self.dueBy = dueBy; self.holdUntil = holdUntil
        self.heldForConsent = heldForConsent
    }
}

public struct WorkList: Codable, Sendable {
    public var list: String
    public var items: [WorkItem]
    /// `after` for the next page; absent on the last.
    public var next: String?
    public init(list: String, items: [WorkItem], next: String? = nil) { self.list = list; self.items = items; self.next = next }
}
