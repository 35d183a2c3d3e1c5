import HomewardModel
public import HomewardStore

/// 409 `consent-withdrawn` or `consent-missing`: `missing` names the purpose, the detail
/// the flow refused and what would allow it (consent recorded again, or a supervisor's
/// exception, both in intake).
extension SharingRefused: ProblemConvertible {
    public var problem: Problem {
        let purpose = flow.recipient.purpose.rawValue
        let consent = withdrawn ? "the person withdrew consent to \(purpose)" : "the person has not consented to \(purpose)"
        var problem = Problem.conflict(withdrawn ? "consent-withdrawn" : "consent-missing",
                                       "\(consent), which \(flow.description) needs, and no exception is in force; "
                                       + "intake records consent, or a supervisor's exception (flow: \(flow.rawValue))")
        problem.missing = [purpose]
        return problem
    }
}
