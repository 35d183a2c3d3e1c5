import Foundation
import HomewardModel

/// One case as staff read it: the family, consents, declaration, eligibility with every
/// reason, and the timeline across all services.
struct CaseView: Codable, Sendable, Equatable {
    var caseID: CaseID
    var programmeID: String
    var status: CaseStatus
    var stage: CaseStage
    var referringAuthority: String
    var referredAt: Date
    var firstContactAt: Date
    var registeredAt: Date
    var currentLocation: Location
    var returnCountry: String
    var returnCity: String?
    var immigration: ImmigrationFacts
    var vulnerabilities: [Vulnerability]
    var travellers: [TravellerView]
    var consents: [ConsentView]
    var declaration: DeclarationView?
    var eligibility: EligibilityDecision?
    var targetDepartureBy: Date?
    var readyForScreeningAt: Date?
    var timeline: [TimelineEntry]
}

struct TravellerView: Codable, Sendable, Equatable {
    var travellerID: TravellerID
    var familyRole: FamilyRole
    var givenName: String
    var familyName: String
    var dateOfBirth: LocalDate
    var sex: Sex
    var nationality: String
    var languages: [String]
    var travelDocumentStatus: TravelDocumentStatus
}

struct ConsentView: Codable, Sendable, Equatable {
    var purpose: ConsentPurpose
    var granted: Bool
    var recordedBy: String
    var recordedAt: Date
}

struct DeclarationView: Codable, Sendable, Equatable {
    var declaredAt: Date
    var recordedBy: String
}

struct TimelineEntry: Codable, Sendable, Equatable {
    var at: Date
    /// The service that took the step.
    var actor: String
    var step: String
    var outcome: String
}

/// One line of a case list.
struct CaseSummary: Codable, Sendable, Equatable {
    var caseID: CaseID
    var programmeID: String
    var status: CaseStatus
    var stage: CaseStage
    var returnCountry: String
    var travellers: Int
    var registeredAt: Date
    var targetDepartureBy: Date?
}
