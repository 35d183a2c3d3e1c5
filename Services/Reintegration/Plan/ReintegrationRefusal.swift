import Foundation
import HomewardModel
import ReintegrationAPI

/// Why reintegration refuses an officer's action; a refusal writes nothing. Amounts are
/// integer minor units in the budget's currency.
enum ReintegrationRefusal: Error, Equatable {
    case unknownCase
    case caseNotOpen(ReintegrationCaseStatus)
    /// Reception needs are recorded on an expected or open case; this one is neither.
    case caseNotExpected(ReintegrationCaseStatus)
    /// `If-Match` names another version than the current plan's (`currentETag`), or there is no plan.
    case planChanged(currentETag: String?)
    case planApproved
    case assessmentsMissing([AssessmentKind])
    case noItems
    /// The plan's item at `item` (its index) names no partner.
    case itemWithoutPartner(item: Int)
    case itemCurrencyMismatch(item: Int, budgetCurrency: String)
    case itemAmountNotPositive(item: Int)
    case overBudget(total: Int64, budget: Int64)
    case noPlanAwaitingApproval
    /// The plan's author tried to approve it.
    case fourEyes
    case itemNotApproved
    case deliveryCurrencyMismatch(budgetCurrency: String)
    case deliveryAmountNotPositive
    case deliveryInFuture
    case deliveryBeforeArrival
    /// The delivery's `value` exceeds what is `left` of the item's `planned` amount.
    case overItem(left: Int64, planned: Int64, value: Int64)
    case unknownDisbursement
    case reversalOfReversal
    case alreadyReversed
    case visitBeforeArrival
    case visitInFuture
    /// The visit's survey answers cannot be scored.
    case unscorableAnswers(SurveyAnswerError)
    /// The referral names no partner of the directory.
    case unknownPartner
    /// The partner takes no new referrals.
    case partnerInactive
    /// The partner works in another country than the case's return.
    case partnerInAnotherCountry(partner: String, returnCountry: String)
    /// The partner does not offer the service referred to; it offers `offered`.
    case serviceNotOffered(offered: [AssistanceCategory])
    case unknownReferral
    /// A referral `from` this status does not go `to` that one; it goes to `allowed`.
    case referralStepNotAllowed(from: ReferralStatus, to: ReferralStatus, allowed: [ReferralStatus])
    /// A partner's decline is recorded with its reason.
    case declineWithoutReason
    /// A supervisor's partner is not valid: the field at fault and why.
    case invalidPartner(field: String, String)
    /// The partners topic did not take the change.
    case partnerDirectoryUnavailable
}
