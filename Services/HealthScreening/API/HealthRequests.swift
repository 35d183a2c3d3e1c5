public import Foundation
public import HomewardModel

/// An examination as a health officer records it. Results, notes and conditions are
/// medical data: they stay in this service's store and its health officers' answers.
public struct ExamInput: Codable, Sendable {
    public var examinedOn: LocalDate
    /// Result per required test, by the test's name (`chest-x-ray`: "no active TB").
    public var results: [String: String]
    public var notes: String?
    public var conditions: [String]?
    @FromToken public var recordedBy: String
    public init(examinedOn: LocalDate, results: [String: String], notes: String? = nil, conditions: [String]? = nil, recordedBy: String = "") {
        self.examinedOn = examinedOn; self.results = results; self.notes = notes; self.conditions = conditions; self.recordedBy = recordedBy
    }
}

/// A fitness-to-travel outcome, after screening or at the pre-embarkation check.
public struct FitnessInput: Codable, Sendable {
    public var outcome: FitnessOutcome
    public var travelRequirements: [TravelRequirement]?
    public var holdUntil: Date?
    @FromToken public var recordedBy: String
    /// When the pre-embarkation check took place; defaults to now.
    public var checkedAt: Date?
    public init(outcome: FitnessOutcome, travelRequirements: [TravelRequirement]? = nil, holdUntil: Date? = nil, recordedBy: String = "",
                checkedAt: Date? = nil) {
        self.outcome = outcome; self.travelRequirements = travelRequirements; self.holdUntil = holdUntil; self.recordedBy = recordedBy
        self.checkedAt = checkedAt
    }
}

public struct RescreenInput: Codable, Sendable {
    @FromToken public var recordedBy: String
    public init(recordedBy: String = "") { self.recordedBy = recordedBy }
}
