public import Foundation

/// One failed call to a service, as one line: the service, the call, and what went wrong
/// (the problem document's status, `rule` and `detail` when the service refused it).
public struct ServiceError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure it was.
    public enum Failure: Sendable, Equatable {
        /// The service answered with a status the call did not expect.
        case refused(status: Int)
        /// No answer: connection refused or reset, host unreachable, and the like.
        case unreachable(String)
        /// No answer within the request timeout.
        case timedOut
        /// The fault hook failed the request before it was sent.
        case injectedBeforeSending(String)
        /// The server answered, and the fault hook dropped the answer.
        case answerDropped(status: Int)
        /// An answer that is not the JSON the call expects.
        case unreadable(status: Int)
        /// 404 for something another service's event has not created yet.
        case notYetKnown
    }

    /// The service's name (`intake`, `health-screening`, `travel-booking`, `reintegration`).
    public let service: String
    /// The HTTP method (`GET`, `POST`, `PUT`).
    public let method: String
    /// The path called, from the service's base (`/cases/HW-3f9c2a1b7d40/declaration`).
    public let path: String
    /// What kind of failure it was.
    public let failure: Failure
    /// The problem document's `rule`, when the service named one.
    public let rule: String?
    /// The problem document's `detail`.
    public let detail: String?
    /// The problem document's `field`.
    public let field: String?

    /// The service's base URL, when the failure came from a call.
    public let base: URL?

    public init(service: String, method: String, path: String, failure: Failure, rule: String?, detail: String?, field: String?, base: URL? = nil) {
        (self.service, self.method, self.path, self.failure, self.rule, self.detail, self.field) = (service, method, path, failure, rule, detail, field)
        self.base = base
    }

    /// The HTTP status, when the service answered.
    public var status: Int? {
        switch failure {
        case .refused(let status), .answerDropped(let status), .unreadable(let status): status
        default: nil
        }
    }

    /// A 404 read as "not yet": the poller's business, not a read's retry.
    var isNotYetKnown: Bool {
        if case .notYetKnown = failure { return true }
        return false
    }

    /// Whether retrying (after re-checking) may succeed: no answer, a dropped answer, an
    /// answer that does not decode (a proxy's error page), a timeout, an injected fault, or
    /// a 5xx/408/429 answer. A refusal that names a rule
    /// (4xx) is the service's decision and is not transient, except a 404 the caller reads as
    /// "not yet" (``Failure/notYetKnown``).
    public var isTransient: Bool {
        switch failure {
        case .unreachable, .timedOut, .injectedBeforeSending, .answerDropped, .unreadable, .notYetKnown: true
        case .refused(let status): status >= 500 || status == 408 || status == 429
        }
    }

    /// The one line: service, call, status, rule and detail.
    public var description: String {
        let call = "\(method) \(path)"
        switch failure {
        case .refused(let status):
            let named = [rule, detail].compactMap { $0 }.joined(separator: ": ")
            return "\(service) refused \(call): \(status)" + (named.isEmpty ? "" : " \(named)")
        case .unreachable(let why): return "\(service) is not answering \(call): \(why)"
        case .timedOut: return "\(service) did not answer \(call) in time"
        case .injectedBeforeSending(let why): return "\(service) \(call) failed before sending (injected: \(why))"
        case .answerDropped(let status): return "\(service) answered \(call) with \(status), and the answer was dropped (injected)"
        case .unreadable(let status): return "\(service) answered \(call) with \(status) and a body that is not the JSON the call expects" + (detail.map { ": \($0)" } ?? "")
        case .notYetKnown: return "\(service) does not know \(path) yet (404)"
        }
    }
}
