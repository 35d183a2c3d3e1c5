import HomewardModel
import IntakeAPI
/// Why intake refuses a caseworker's action. Each names the rule broken and the field
/// (a JSON pointer), never a submitted value: those name the family.
enum IntakeRefusal: Error, Equatable {
    // The referral and the facts
    case unknownProgramme(known: [String])
    case referralInFuture
    case contactBeforeReferral
    case contactInFuture
    case decisionAfterReferral
    case principalRelationship(at: String)
    case dependantWithoutRelationship(at: String)
    case onePrincipal(at: String)
    case duplicateTraveller(at: String)
    case duplicateConsent(at: String)
    case duplicateVulnerability
    /// A correction names a field the record does not have; `allowed`: those it has there.
    case unknownField(at: String, allowed: [String])
    case birthInFuture(at: String)
    case implausibleAge(at: String)
    case countryCode(at: String)
    case lateEntryNotAccepted(programme: String)
    case lateEntryReason(accepted: [LateEntryReason])
    case returnAfterReferral
    case returnTooLongAgo(days: Int)
    // The case's state
    case unknownCase
    case idempotencyKeyReused
    case idempotencyKeyOfErasedCase
    case programmeNoLongerConfigured
    case declarationAlreadyRecorded
    case declarationInFuture
    case declarationBeforeReferral
    /// The programme needs `needed` counselling sessions before the declaration; `recorded` are.
    case counsellingRequired(needed: Int, recorded: Int)
    // Counselling and orientation
    /// `field` is `/heldAt`.
    case sessionInFuture
    case sessionBeforeReferral
    case languageCode
    case noTopics
    case duplicateTopic(at: String)
    case unknownTraveller
    case withdrawalAfterDeparture
    case orientationAfterDeparture
    case caseActive
    case caseErased
    case caseNotActive(CaseStatus)
    /// The supervisor recording an exception registered the case (four eyes).
    case exceptionByCaseworker
    case exceptionValidUntilPast
    case noExceptionInForce
    case unknownPurpose
}
