import Foundation
import HomewardModel
import HomewardRuntime

/// How officers' API answers each refusal: the rule broken and the field at fault, never
/// what the person told an officer.
extension ReintegrationRefusal: ProblemConvertible {
    var problem: Problem {
        switch self {
        case .unknownCase: .notFound("unknown-case", "no reintegration case with this id")
        case .caseNotOpen(let status): .conflict("case-not-open", "the reintegration case is \(status.rawValue)")
        case .caseNotExpected(let status):
            .conflict("case-not-expected", "reception needs are recorded on an expected or open case; this one is \(status.rawValue)")
        case .planChanged(let current):
            Problem(status: .preconditionFailed, rule: "plan-changed",
                    detail: current.map { "the plan is now \($0); read it again before replacing it" } ?? "there is no plan to replace")
        case .planApproved: .conflict("plan-approved", "the plan is approved; it is no longer edited")
        case .assessmentsMissing(let missing):
            .conflict("assessments-missing",
                      "a plan needs the needs, vulnerability, family and skills assessments; missing: \(missing.map(\.rawValue).joined(separator: ", "))")
        case .noItems: .invalid("/items", "no-items", "a plan has at least one item")
        case .itemWithoutPartner(let i): .invalid("/items/\(i)/partner", "item-without-partner", "every item is delivered by a partner")
        case .itemCurrencyMismatch(let i, let currency): .invalid("/items/\(i)/plannedAmount/currency", "currency-mismatch", "the budget is in \(currency)")
        case .itemAmountNotPositive(let i): .invalid("/items/\(i)/plannedAmount/amountMinor", "amount-not-positive", "a planned amount is positive")
        case .overBudget(let total, let budget): .invalid("/items", "over-budget", "the plan totals \(total) minor units; the budget is \(budget)")
        case .noPlanAwaitingApproval: .conflict("no-plan-awaiting-approval", "no plan awaits approval")
        case .fourEyes: .conflict("four-eyes", "the plan's author cannot approve it; another person must")
        case .itemNotApproved: .invalid("/itemID", "item-not-approved", "disbursements go against items of an approved plan")
        case .deliveryCurrencyMismatch(let currency): .invalid("/value/currency", "currency-mismatch", "the budget is in \(currency)")
        case .deliveryAmountNotPositive: .invalid("/value/amountMinor", "amount-not-positive", "a delivery has a positive value")
        case .deliveryInFuture: .invalid("/deliveredAt", "delivery-in-future", "the delivery date is in the future")
        case .deliveryBeforeArrival: .invalid("/deliveredAt", "delivery-before-arrival", "assistance is delivered after arrival")
        case .overItem(let left, let planned, let value):
            .invalid("/value/amountMinor", "over-item", "the item has \(left) minor units left of \(planned); this delivery is \(value)")
        case .unknownDisbursement: .notFound("unknown-disbursement", "no disbursement with this id in the case")
        case .reversalOfReversal: .conflict("reversal-of-reversal", "a reversing entry is not reversed; record a new delivery")
        case .alreadyReversed: .conflict("already-reversed", "this entry is already reversed")
        case .visitBeforeArrival: .invalid("/visitedAt", "visit-before-arrival", "a monitoring visit is after arrival")
        case .visitInFuture: .invalid("/visitedAt", "visit-in-future", "the visit date is in the future")
        case .unscorableAnswers(let error): .invalid(error.field, error.rule, error.detail)
        case .unknownPartner: .invalid("/partnerID", "unknown-partner", "no partner with this id in the directory (GET /partners)")
        case .partnerInactive: .invalid("/partnerID", "partner-inactive", "the partner takes no new referrals")
        case .partnerInAnotherCountry(let partner, let returnCountry):
            .invalid("/partnerID", "partner-in-another-country", "the partner works in \(partner); the case returned to \(returnCountry)")
        case .serviceNotOffered(let offered):
            .invalid("/service", "service-not-offered", "the partner offers \(offered.map(\.rawValue).joined(separator: ", "))")
        case .unknownReferral: .notFound("unknown-referral", "no referral with this id in the case")
        case .referralStepNotAllowed(let from, let to, let allowed):
            .conflict("referral-step-not-allowed", "a referral \(from.rawValue) does not become \(to.rawValue); "
                        + (allowed.isEmpty ? "it has ended" : "it becomes \(allowed.map(\.rawValue).joined(separator: " or "))"), field: "/status")
        case .declineWithoutReason: .invalid("/reason", "reason-missing", "a partner's decline is recorded with its reason")
        case .invalidPartner(let field, let problem): .invalid(field, "invalid-partner", problem)
        case .partnerDirectoryUnavailable:
            Problem(status: .serviceUnavailable, rule: "partner-directory-unavailable", detail: "the partner directory cannot be written now; try again")
        }
    }
}
