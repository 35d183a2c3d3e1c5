import Foundation
import HomewardModel
import HomewardRuntime

/// An examination as a health officer records it. Results, notes and conditions are
/// medical data: they stay in this service's store and its health officers' answers.
struct ExamInput: Codable, Sendable {
    var examinedOn: LocalDate
    /// Result per required test, by the test's name (`chest-x-ray`: "no active TB").
    var results: [String: String]
    var notes: String?
    var conditions: [String]?
    @FromToken var recordedBy: String
}

/// A fitness-to-travel outcome, after screening or at the pre-embarkation check.
struct FitnessInput: Codable, Sendable {
    var outcome: FitnessOutcome
    var travelRequirements: [TravelRequirement]?
    var holdUntil: Date?
    @FromToken var recordedBy: String
    /// When the pre-embarkation check took place; defaults to now.
    var checkedAt: Date?
}

struct RescreenInput: Codable, Sendable {
    @FromToken var recordedBy: String
}
