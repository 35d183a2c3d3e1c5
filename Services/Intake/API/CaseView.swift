public import Foundation
public import HomewardModel

/// One case as staff read it: the family, consents, declaration, eligibility with every
/// reason, and the timeline across all services.
///
/// Once the case's personal data is erased (`erased`), the personal fields are absent
/// (names, date of birth, nationality, languages, current city, immigration facts,
/// vulnerabilities, eligibility reasons, counselling notes); the non-identifying ones and
/// the timeline stay.
public struct CaseView: Codable, Sendable, Equatable {
    public var caseID: CaseID
    public var programmeID: String
    public var status: CaseStatus
    public var stage: CaseStage
    public var referringAuthority: String
    public var referredAt: Date
    public var firstContactAt: Date
    public var registeredAt: Date
    public var currentLocation: CurrentLocation
    public var returnCountry: String
    public var returnCity: String?
    public var immigration: ImmigrationFacts?
    public var vulnerabilities: [Vulnerability]?
    public var travellers: [TravellerView]
    public var consents: [ConsentView]
    /// The latest exception to consent per purpose, in force or withdrawn.
    public var exceptions: [ExceptionView]
    public var declaration: DeclarationView?
    /// The counselling sessions recorded, in the order they were held.
    public var counselling: [CounsellingView]
    public var eligibility: EligibilityDecision?
    public var targetDepartureBy: Date?
    public var readyForScreeningAt: Date?
    /// A late entry's return, and when it was announced ready for reintegration.
    public var lateEntry: LateEntry?
    public var readyForReintegrationAt: Date?
    public var timeline: [TimelineEntry]
    /// Where the case's records in the other services are.
    public var links: CaseLinks
    /// Whether the case's personal data has been erased, when, and why.
    public var erased: Bool
    public var erasedAt: Date?
    public var erasureReason: ErasureReason?
    /// Once erased: the services that have confirmed applying the erasure to their own
    /// records, and those not yet (`health-screening`, `travel-booking`, `reintegration`).
    public var erasureConfirmedBy: [String]?
    public var erasureAwaitedFrom: [String]?
    /// Only in the answer to a registration: other open cases that may be the same
    /// person's (``PossibleDuplicates``), empty when none; absent when they could not be
    /// looked for then.
    public var possibleDuplicates: [CaseID]?

    /// Where the family lives now: the city is personal (erased), the area is the
    /// programme's code.
    public struct CurrentLocation: Codable, Sendable, Equatable {
        public var city: String?
        public var area: String
        public init(city: String? = nil, area: String) { self.city = city; self.area = area }
    }
    public init(caseID: CaseID, programmeID: String, status: CaseStatus, stage: CaseStage, referringAuthority: String, referredAt: Date,
                firstContactAt: Date, registeredAt: Date, currentLocation: CurrentLocation, returnCountry: String, returnCity: String? = nil,
                immigration: ImmigrationFacts? = nil, vulnerabilities: [Vulnerability]? = nil, travellers: [TravellerView], consents: [ConsentView],
                exceptions: [ExceptionView] = [], declaration: DeclarationView? = nil, counselling: [CounsellingView] = [], eligibility: EligibilityDecision? = nil, targetDepartureBy: Date? = nil,
                readyForScreeningAt: Date? = nil, lateEntry: LateEntry? = nil, readyForReintegrationAt: Date? = nil, timeline: [TimelineEntry], links: CaseLinks, erased: Bool, erasedAt: Date? = nil,
                erasureReason: ErasureReason? = nil, possibleDuplicates: [CaseID]? = nil) {
        self.caseID = caseID; self.programmeID = programmeID; self.status = status; self.stage = stage; self.referringAuthority = referringAuthority
        self.referredAt = referredAt; self.firstContactAt = firstContactAt; self.registeredAt = registeredAt; self.currentLocation = currentLocation
        self.returnCountry = returnCountry; self.returnCity = returnCity; self.immigration = immigration; self.vulnerabilities = vulnerabilities
        self.travellers = travellers; self.consents = consents; self.exceptions = exceptions; self.declaration = declaration; self.counselling = counselling
        self.eligibility = eligibility
        self.targetDepartureBy = targetDepartureBy; self.readyForScreeningAt = readyForScreeningAt
        self.lateEntry = lateEntry; self.readyForReintegrationAt = readyForReintegrationAt; self.timeline = timeline; self.links = links
        self.erased = erased; self.erasedAt = erasedAt; self.erasureReason = erasureReason; self.possibleDuplicates = possibleDuplicates
    }
}

/// A traveller; the personal fields are absent once the case is erased.
public struct TravellerView: Codable, Sendable, Equatable {
    public var travellerID: TravellerID
    public var familyRole: FamilyRole
    public var givenName: String?
    public var familyName: String?
    public var dateOfBirth: LocalDate?
    public var sex: Sex
    public var nationality: String?
    public var languages: [String]?
    public var travelDocumentStatus: TravelDocumentStatus
    /// The traveller's screenings and fitness, in health screening.
    public var healthRecord: RelatedResource
    /// The traveller's latest pre-departure orientation, once one is recorded.
    public var orientation: OrientationView?
    public init(travellerID: TravellerID, familyRole: FamilyRole, givenName: String? = nil, familyName: String? = nil, dateOfBirth: LocalDate? = nil,
                sex: Sex, nationality: String? = nil, languages: [String]? = nil, travelDocumentStatus: TravelDocumentStatus,
                healthRecord: RelatedResource, orientation: OrientationView? = nil) {
        self.travellerID = travellerID; self.familyRole = familyRole; self.givenName = givenName; self.familyName = familyName
        self.dateOfBirth = dateOfBirth; self.sex = sex; self.nationality = nationality; self.languages = languages
        self.travelDocumentStatus = travelDocumentStatus; self.healthRecord = healthRecord; self.orientation = orientation
    }
}

/// A resource of another service: its path on that service (through the gateway, after
/// `/<service>`).
public struct RelatedResource: Codable, Sendable, Equatable {
    public var service: ServiceName
    public var path: String
    public init(service: ServiceName, path: String) { self.service = service; self.path = path }
}

/// The case's records in travel booking and reintegration, and each booking travel has
/// proposed for it with its latest status as travel's events told intake.
public struct CaseLinks: Codable, Sendable, Equatable {
    public var travelCase: RelatedResource
    public var bookings: [BookingLink]
    public var reintegrationCase: RelatedResource

    public struct BookingLink: Codable, Sendable, Equatable {
        public var bookingID: BookingID
        /// `proposed`, `confirmed`, `on-hold`, `cancelled`, `departed` or `arrived`.
        public var status: String
        public var link: RelatedResource
        public init(bookingID: BookingID, status: String, link: RelatedResource) {
            self.bookingID = bookingID; self.status = status; self.link = link
        }
    }

    public init(_ caseID: CaseID, bookings: [(BookingID, String)]) {
        travelCase = RelatedResource(service: .travelBooking, path: "/cases/\(caseID)")
        reintegrationCase = RelatedResource(service: .reintegration, path: "/cases/\(caseID)")
        self.bookings = bookings.map { BookingLink(bookingID: $0.0, status: $0.1, link: RelatedResource(service: .travelBooking, path: "/bookings/\($0.0)")) }
    }
}

public struct ConsentView: Codable, Sendable, Equatable {
    public var purpose: ConsentPurpose
    public var granted: Bool
    public var recordedBy: String
    public var recordedAt: Date
    public init(purpose: ConsentPurpose, granted: Bool, recordedBy: String, recordedAt: Date) {
        self.purpose = purpose; self.granted = granted; self.recordedBy = recordedBy; self.recordedAt = recordedAt
    }
}

public struct DeclarationView: Codable, Sendable, Equatable {
    public var declaredAt: Date
    public var recordedBy: String
    public init(declaredAt: Date, recordedBy: String) { self.declaredAt = declaredAt; self.recordedBy = recordedBy }
}

public struct TimelineEntry: Codable, Sendable, Equatable {
    public var at: Date
    /// The service that took the step.
    public var actor: String
    public var step: String
    public var outcome: String
    public init(at: Date, actor: String, step: String, outcome: String) { self.at = at; self.actor = actor; self.step = step; self.outcome = outcome }
}

/// One line of a case list.
public struct CaseSummary: Codable, Sendable, Equatable {
    public var caseID: CaseID
    public var programmeID: String
    public var status: CaseStatus
    public var stage: CaseStage
    public var returnCountry: String
    public var travellers: Int
    public var registeredAt: Date
    public var targetDepartureBy: Date?
    public init(caseID: CaseID, programmeID: String, status: CaseStatus, stage: CaseStage, returnCountry: String, travellers: Int,
                registeredAt: Date, targetDepartureBy: Date? = nil) {
        self.caseID = caseID; self.programmeID = programmeID; self.status = status; self.stage = stage; self.returnCountry = returnCountry
        self.travellers = travellers; self.registeredAt = registeredAt; self.targetDepartureBy = targetDepartureBy
    }
}
