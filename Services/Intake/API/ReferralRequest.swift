import Foundation
import HomewardModel
import HomewardRuntime

/// A referral as a caseworker registers it: the family, where they are and return to, the
/// immigration facts the programme rules read, and vulnerabilities.
struct ReferralRequest: Codable, Sendable, Equatable {
    var programmeID: String
    var referringAuthority: String
    var referredAt: Date
    /// When the person first contacted the office (pilot: expected within 24 h).
    var firstContactAt: Date
    var principal: TravellerInput
    var dependants: [TravellerInput]?
    var returnCountry: String
    var returnCity: String?
    var currentLocation: Location
    var immigration: ImmigrationFacts
    var vulnerabilities: [Vulnerability]?
    /// Consents recorded together with the registration.
    var consents: [ConsentInput]?
    /// The caseworker recording it: the caller.
    @FromToken var recordedBy: String
}

struct Location: Codable, Sendable, Equatable {
    var city: String
    /// The programme's area code for residence rules (pilot: `GTA`).
    var area: String
}

struct ImmigrationFacts: Codable, Sendable, Equatable {
    var finalNegativeDecisionOn: LocalDate?
    var leaveApplicationFiled: Bool
    var appealFiled: Bool
    var designatedCountryOfOrigin: Bool
    var claimWithdrawnOrAbandoned: Bool

    /// What the workflow reads for an erased case (never assessed again).
    static let erased = ImmigrationFacts(finalNegativeDecisionOn: nil, leaveApplicationFiled: false, appealFiled: false,
                                         designatedCountryOfOrigin: false, claimWithdrawnOrAbandoned: false)
}

struct TravellerInput: Codable, Sendable, Equatable {
    var givenName: String
    var familyName: String
    var dateOfBirth: LocalDate
    var sex: Sex
    /// ISO 3166-1 alpha-2.
    var nationality: String
    /// Required for dependants; the principal is `principal`.
    var relationship: FamilyRole?
    var languages: [String]?
    var travelDocumentStatus: TravelDocumentStatus
}

enum Vulnerability: String, Codable, Sendable, ClosedSet {
    case unaccompaniedMinor = "unaccompanied-minor"
    case seriousMedicalCondition = "serious-medical-condition"
    case disability
    case elderly
    case pregnancy
    case survivorOfTrafficking = "survivor-of-trafficking"
}

struct ConsentInput: Codable, Sendable, Equatable {
    var purpose: ConsentPurpose
    var granted: Bool
    /// The caller; at registration, the registering caller.
    @FromToken var recordedBy: String
}

struct DeclarationInput: Codable, Sendable {
    @FromToken var recordedBy: String
    /// When the person made the informed-choice declaration; defaults to now.
    var declaredAt: Date?
}

struct WithdrawalInput: Codable, Sendable {
    @FromToken var recordedBy: String
}

struct RevocationInput: Codable, Sendable {
    @FromToken var recordedBy: String
    /// The referring authority revoking eligibility.
    var authority: String
}

/// Facts a caseworker corrects after registration; the case is re-assessed at once.
struct FactsUpdate: Codable, Sendable {
    @FromToken var recordedBy: String
    var currentLocation: Location?
    var immigration: ImmigrationFacts?
}

/// An erasure request (`POST /cases/{id}/erasure`), by an authorised member of staff.
struct ErasureInput: Codable, Sendable {
    @FromToken var recordedBy: String
}
