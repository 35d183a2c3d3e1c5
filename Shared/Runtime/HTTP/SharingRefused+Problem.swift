import HomewardModel
public import HomewardStore

/// 409 `consent-withdrawn` or `consent-missing`, naming the purpose (`missing`) and the
/// flow refused; what a supervisor's exception in intake would allow instead.
extension SharingRefused: ProblemConvertible {
    public var problem: Problem {
        let purpose = flow.recipient.purpose
        var problem = withdrawn ? Problem.consentWithdrawn(purpose, flow.description)
            : Problem.conflict("consent-missing", "the person has not consented to \(purpose.rawValue), which \(flow.description) needs")
        problem.detail = (problem.detail ?? "") + "; no exception is recorded for it (flow: \(flow.rawValue))"
        problem.missing = [purpose.rawValue]
        return problem
    }
}
