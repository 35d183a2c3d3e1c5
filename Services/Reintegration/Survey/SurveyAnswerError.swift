/// Why the answers from one monitoring visit cannot be scored.
///
/// Why a value with a rule, a field and a detail: the HTTP layer turns it into a problem
/// document naming the rule that was broken and the answer at fault, and nothing is
/// written. The detail names indicators and ranges but never quotes other answers, so it
/// is safe to log.
struct SurveyAnswerError: Error, Equatable, Sendable {
    /// The rule broken, in kebab-case: `missing-answer`, `unknown-indicator` or
    /// `answer-out-of-range`.
    var rule: String
    /// JSON pointer (RFC 6901) of the answer at fault in the request: `/answers/<id>`.
    var field: String
    /// A sentence for the officer: which indicator, and the allowed range where it applies.
    var detail: String
}
