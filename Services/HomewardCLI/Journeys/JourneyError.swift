public import HomewardClient

/// Why a journey stopped, naming the journey instance and the step.
public struct JourneyError: Error, Sendable, CustomStringConvertible {
    /// What went wrong at the step.
    public enum Reason: Sendable {
        /// A service refused the step's action or check with a rule that retrying cannot change.
        case refused(ServiceError)
        /// The step did not converge before its deadline; the last error or mismatch seen.
        case gaveUp(after: Duration, last: String?)
        /// A check of the case's state found something other than expected.
        case notAsExpected(String)
        /// The journey cannot run now (for instance, a lapse needs a UTC midnight soon).
        case cannotRunNow(String)
    }

    /// The journey instance (`title [seed N]`).
    public let journey: String
    /// The step or check.
    public let step: String
    /// What went wrong.
    public let reason: Reason

    /// One line: `journey: step: reason`.
    public var description: String {
        let prefix = "\(journey): \(step): "
        switch reason {
        case .refused(let error): return prefix + error.description
        case .gaveUp(let after, let last): return prefix + "gave up after \(after)" + (last.map { "; last: \($0)" } ?? "")
        case .notAsExpected(let what): return prefix + what
        case .cannotRunNow(let why): return prefix + "cannot run now: " + why
        }
    }
}
