public import Foundation
public import HomewardModel

/// A referral as a caseworker registers it: the family, where they are and return to, the
/// immigration facts the programme rules read, and vulnerabilities.
public struct ReferralRequest: Codable, Sendable, Equatable {
    public var programmeID: String
    public var referringAuthority: String
    public var referredAt: Date
    /// When the person first contacted the office (pilot: expected within 24 h).
    public var firstContactAt: Date
    public var principal: TravellerInput
    public var dependants: [TravellerInput]?
    public var returnCountry: String
    public var returnCity: String?
    public var currentLocation: Location
    public var immigration: ImmigrationFacts
    public var vulnerabilities: [Vulnerability]?
    /// Consents recorded together with the registration.
    public var consents: [ConsentInput]?
    /// Set for a person who has already returned, registered for reintegration alone when
    /// the programme allows it (screening and travel are skipped).
    public var lateEntry: LateEntry?
    /// The caseworker recording it: the caller.
    @FromToken public var recordedBy: String
    public init(programmeID: String, referringAuthority: String, referredAt: Date, firstContactAt: Date, principal: TravellerInput,
                dependants: [TravellerInput]? = nil, returnCountry: String, returnCity: String? = nil, currentLocation: Location,
                immigration: ImmigrationFacts, vulnerabilities: [Vulnerability]? = nil, consents: [ConsentInput]? = nil, lateEntry: LateEntry? = nil,
                recordedBy: String = "") {
        self.programmeID = programmeID; self.referringAuthority = referringAuthority; self.referredAt = referredAt
        self.firstContactAt = firstContactAt; self.principal = principal; self.dependants = dependants; self.returnCountry = returnCountry
        self.returnCity = returnCity; self.currentLocation = currentLocation; self.immigration = immigration; self.vulnerabilities = vulnerabilities
        self.consents = consents; self.lateEntry = lateEntry; self.recordedBy = recordedBy
    }
}

/// A late entry: when the family came back to the country of return, and how.
public struct LateEntry: Codable, Sendable, Equatable {
    public var returnedOn: LocalDate
    public var reason: LateEntryReason
    public init(returnedOn: LocalDate, reason: LateEntryReason) { self.returnedOn = returnedOn; self.reason = reason }
}

public struct Location: Codable, Sendable, Equatable {
    public var city: String
    /// The programme's area code for residence rules (pilot: `GTA`).
    public var area: String
    public init(city: String, area: String) { self.city = city; self.area = area }
}

public struct ImmigrationFacts: Codable, Sendable, Equatable {
    public var finalNegativeDecisionOn: LocalDate?
    public var leaveApplicationFiled: Bool
    public var appealFiled: Bool
    public var designatedCountryOfOrigin: Bool
    public var claimWithdrawnOrAbandoned: Bool

    /// What the workflow reads for an erased case (never assessed again).
    public static let erased = ImmigrationFacts(finalNegativeDecisionOn: nil, leaveApplicationFiled: false, appealFiled: false,
                                         designatedCountryOfOrigin: false, claimWithdrawnOrAbandoned: false)
    public init(finalNegativeDecisionOn: LocalDate? = nil, leaveApplicationFiled: Bool, appealFiled: Bool, designatedCountryOfOrigin: Bool,
                claimWithdrawnOrAbandoned: Bool) {
        self.finalNegativeDecisionOn = finalNegativeDecisionOn; self.leaveApplicationFiled = leaveApplicationFiled; self.appealFiled = appealFiled
        self.designatedCountryOfOrigin = designatedCountryOfOrigin; self.claimWithdrawnOrAbandoned = claimWithdrawnOrAbandoned
    }
}

public struct TravellerInput: Codable, Sendable, Equatable {
    public var givenName: String
    public var familyName: String
    public var dateOfBirth: LocalDate
    public var sex: Sex
    /// ISO 3166-1 alpha-2.
    public var nationality: String
    /// Required for dependants; the principal is `principal`.
    public var relationship: FamilyRole?
    public var languages: [String]?
    public var travelDocumentStatus: TravelDocumentStatus
    public init(givenName: String, familyName: String, dateOfBirth: LocalDate, sex: Sex, nationality: String, relationship: FamilyRole? = nil,
                languages: [String]? = nil, travelDocumentStatus: TravelDocumentStatus) {
        self.givenName = givenName; self.familyName = familyName; self.dateOfBirth = dateOfBirth; self.sex = sex; self.nationality = nationality
        self.relationship = relationship; self.languages = languages; self.travelDocumentStatus = travelDocumentStatus
    }
}

public enum Vulnerability: String, Codable, Sendable, ClosedSet {
    case unaccompaniedMinor = "unaccompanied-minor"
    case seriousMedicalCondition = "serious-medical-condition"
    case disability
    case elderly
    case pregnancy
    case survivorOfTrafficking = "survivor-of-trafficking"
}

public struct ConsentInput: Codable, Sendable, Equatable {
    public var purpose: ConsentPurpose
    public var granted: Bool
    /// The caller; at registration, the registering caller.
    @FromToken public var recordedBy: String
    public init(purpose: ConsentPurpose, granted: Bool, recordedBy: String = "") {
        self.purpose = purpose; self.granted = granted; self.recordedBy = recordedBy
    }
}

public struct DeclarationInput: Codable, Sendable {
    @FromToken public var recordedBy: String
    /// When the person made the informed-choice declaration; defaults to now.
    public var declaredAt: Date?
    public init(recordedBy: String = "", declaredAt: Date? = nil) { self.recordedBy = recordedBy; self.declaredAt = declaredAt }
}

public struct WithdrawalInput: Codable, Sendable {
    @FromToken public var recordedBy: String
    public init(recordedBy: String = "") { self.recordedBy = recordedBy }
}

public struct RevocationInput: Codable, Sendable {
    @FromToken public var recordedBy: String
    /// The referring authority revoking eligibility.
    public var authority: String
    public init(recordedBy: String = "", authority: String) { self.recordedBy = recordedBy; self.authority = authority }
}

/// An erasure request (`POST /cases/{id}/erasure`), by an authorised member of staff.
public struct ErasureInput: Codable, Sendable {
    @FromToken public var recordedBy: String
    public init(recordedBy: String = "") { self.recordedBy = recordedBy }
}
