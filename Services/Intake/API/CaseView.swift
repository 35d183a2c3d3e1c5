import Foundation
import HomewardModel

/// One case as staff read it: the family, consents, declaration, eligibility with every
/// reason, and the timeline across all services.
///
/// Once the case's personal data is erased (`erased`), the personal fields are absent
/// (names, date of birth, nationality, languages, current city, immigration facts,
/// vulnerabilities, eligibility reasons); the non-identifying ones and the timeline stay.
struct CaseView: Codable, Sendable, Equatable {
    var caseID: CaseID
    var programmeID: String
    var status: CaseStatus
    var stage: CaseStage
    var referringAuthority: String
    var referredAt: Date
    var firstContactAt: Date
    var registeredAt: Date
    var currentLocation: CurrentLocation
    var returnCountry: String
    var returnCity: String?
    var immigration: ImmigrationFacts?
    var vulnerabilities: [Vulnerability]?
    var travellers: [TravellerView]
    var consents: [ConsentView]
    var declaration: DeclarationView?
    var eligibility: EligibilityDecision?
    var targetDepartureBy: Date?
    var readyForScreeningAt: Date?
    var timeline: [TimelineEntry]
    /// Where the case's records in the other services are.
    var links: CaseLinks
    /// Whether the case's personal data has been erased, when, and why.
    var erased: Bool
    var erasedAt: Date?
    var erasureReason: ErasureReason?

    /// Where the family lives now: the city is personal (erased), the area is the
    /// programme's code.
    struct CurrentLocation: Codable, Sendable, Equatable {
        var city: String?
        var area: String
    }
}

/// A traveller; the personal fields are absent once the case is erased.
struct TravellerView: Codable, Sendable, Equatable {
    var travellerID: TravellerID
    var familyRole: FamilyRole
    var givenName: String?
    var familyName: String?
    var dateOfBirth: LocalDate?
    var sex: Sex
    var nationality: String?
    var languages: [String]?
    var travelDocumentStatus: TravelDocumentStatus
    /// The traveller's screenings and fitness, in health screening.
    var healthRecord: RelatedResource
}

/// A resource of another service: its path on that service (through the gateway, after
/// `/<service>`).
struct RelatedResource: Codable, Sendable, Equatable {
    var service: ServiceName
    var path: String
}

/// The case's records in travel booking and reintegration, and each booking travel has
/// proposed for it with its latest status as travel's events told intake.
struct CaseLinks: Codable, Sendable, Equatable {
    var travelCase: RelatedResource
    var bookings: [BookingLink]
    var reintegrationCase: RelatedResource

    struct BookingLink: Codable, Sendable, Equatable {
        var bookingID: BookingID
        /// `proposed`, `confirmed`, `on-hold`, `cancelled`, `departed` or `arrived`.
        var status: String
        var link: RelatedResource
    }

    init(_ caseID: CaseID, bookings: [(BookingID, String)]) {
        travelCase = RelatedResource(service: .travelBooking, path: "/cases/\(caseID)")
        reintegrationCase = RelatedResource(service: .reintegration, path: "/cases/\(caseID)")
        self.bookings = bookings.map { BookingLink(bookingID: $0.0, status: $0.1, link: RelatedResource(service: .travelBooking, path: "/bookings/\($0.0)")) }
    }
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
