import Foundation
import HomewardModel

/// Why health screening refuses an officer's action. Each names the rule broken and
/// never a submitted value: those may be medical.
enum HealthRefusal: Error, Equatable {
    case unknownTraveller
    case travellerNotActive(TravellerStatus)
    /// The person withdrew the consent (to processing) an officer's action needs.
    case consentWithdrawn(ConsentPurpose)
    case noOpenScreening
    case examInFuture
    case testNotRequired(test: String, required: [String])
    case resultMissing(test: String)
    case clearanceContradictsHold(until: Date)
    /// A pre-embarkation clearance while a hold runs.
    case checkContradictsHold(until: Date)
    case examRequired
    case examBeforeHold
    case requiredTestsMissing([String])
    case examTooOld(validityMonths: Int)
    case requirementsMissing
    case requirementsNotAllowed
    case holdUntilRequired
    case holdUntilPast
    case holdUntilNotAllowed
    case noPreEmbarkationCheckDue
    case checkInFuture
    case outsidePreEmbarkationWindow(from: Date, to: Date)
}
