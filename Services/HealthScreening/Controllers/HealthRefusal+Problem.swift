import Foundation
import HomewardModel
import HomewardRuntime

/// How health officers' API answers each refusal. Problems name the rule and the field,
/// never a submitted value: those may be medical (a test's name is configuration).
extension HealthRefusal: ProblemConvertible {
    var problem: Problem {
        switch self {
        case .unknownTraveller: .notFound("unknown-traveller", "no traveller with this id is in screening")
        case .travellerNotActive(let status): .conflict("traveller-not-active", "the traveller's screening is \(status.rawValue)")
        case .consentWithdrawn(let purpose): .consentWithdrawn(purpose, "screening")
        case .noOpenScreening: .conflict("no-open-screening", "the traveller has no open screening; open a re-screen first")
        case .examInFuture: .invalid("/examinedOn", "exam-in-future", "the exam date is in the future")
        case .testNotRequired(let test, let required):
            .invalid("/results/\(Self.pointerEscaped(test))", "test-not-required",
                     "this test is not required for this traveller (required: \(required.joined(separator: ", ")))")
        case .resultMissing(let test): .invalid("/results/\(Self.pointerEscaped(test))", "required", "a result is required")
        case .clearanceContradictsHold(let until):
            .conflict("clearance-contradicts-hold", "the traveller is on hold until \(Instant.format(until)); after it, record a new exam, then the clearance",
                      field: "/outcome")
        case .checkContradictsHold(let until):
            .conflict("clearance-contradicts-hold", "the traveller is on hold until \(Instant.format(until))", field: "/outcome")
        case .examRequired: .invalid("/outcome", "exam-required", "a clearance needs an exam first")
        case .examBeforeHold: .invalid("/outcome", "exam-before-hold", "after a hold, a clearance needs an exam recorded since the hold")
        case .requiredTestsMissing(let missing): .invalid("/outcome", "required-test-missing", "required tests without a result: \(missing.joined(separator: ", "))")
        case .examTooOld(let months): .invalid("/outcome", "exam-too-old", "the exam is older than the \(months)-month validity window; record a new exam")
        case .requirementsMissing: .invalid("/travelRequirements", "requirements-missing", "cleared with travel requirements needs at least one")
        case .requirementsNotAllowed: .invalid("/travelRequirements", "requirements-not-allowed", "only 'cleared-with-requirements' carries travel requirements")
        case .holdUntilRequired: .invalid("/holdUntil", "hold-until-required", "a hold needs the date it lasts until")
        case .holdUntilPast: .invalid("/holdUntil", "hold-until-past", "a hold must last until a future time")
        case .holdUntilNotAllowed: .invalid("/holdUntil", "hold-until-not-allowed", "only a hold has an end date")
        case .noPreEmbarkationCheckDue: .conflict("no-pre-embarkation-check-due", "no confirmed booking asks for a pre-embarkation check")
        case .checkInFuture: .invalid("/checkedAt", "check-in-future", "the check time is in the future")
        case .outsidePreEmbarkationWindow(let from, let to):
            .invalid("/checkedAt", "outside-pre-embarkation-window", "the check must take place between \(Instant.format(from)) and \(Instant.format(to))")
        }
    }

    /// A test name in a JSON pointer.
    private static func pointerEscaped(_ test: String) -> String {
        test.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
}
