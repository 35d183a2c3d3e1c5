import Foundation
import HomewardModel
import HomewardRuntime
import Hummingbird

/// One traveller's health record, for health officers only.
struct TravellerRecord: Codable, Sendable, ResponseEncodable {
    var travellerID: TravellerID
    var caseID: CaseID
    var ageYears: Int
    var sex: Sex
    var status: String
    var screenings: [ScreeningView]
    var preEmbarkationChecks: [PreEmbarkationView]
}

struct ScreeningView: Codable, Sendable {
    var screeningID: Int64
    var kind: ScreeningKind
    var status: String
    var requiredTests: [String]
    var openedAt: Date
    var exams: [ExamView]
    var outcomes: [OutcomeView]
}

struct ExamView: Codable, Sendable {
    var examinedOn: LocalDate
    var results: [String: String]
    var notes: String?
    var conditions: [String]
    var recordedBy: String
    var recordedAt: Date
}

struct OutcomeView: Codable, Sendable {
    var outcome: FitnessOutcome
    /// Absent once the case's personal data is erased.
    var travelRequirements: [TravelRequirement]?
    var holdUntil: Date?
    var validFrom: Date?
    var validUntil: Date?
    var recordedBy: String
    var recordedAt: Date
}

struct PreEmbarkationView: Codable, Sendable {
    var bookingID: BookingID
    var departureAt: Date
    var windowFrom: Date
    var windowTo: Date
    var status: String
    var outcome: FitnessOutcome?
    var travelRequirements: [TravelRequirement]?
    var holdUntil: Date?
    var checkedAt: Date?
}

/// A line of the health officers' work lists: no medical detail.
struct WorkItem: Codable, Sendable {
    var travellerID: TravellerID
    var caseID: CaseID
    /// `screening` or `pre-embarkation`.
    var kind: String
    var since: Date
    var dueBy: Date?
    var holdUntil: Date?
}

struct WorkList: Codable, Sendable, PagedList {
    var list: String
    var items: [WorkItem]
    /// `after` for the next page; absent on the last.
    var next: String?
}
