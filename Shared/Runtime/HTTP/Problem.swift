public import Hummingbird
import Foundation
public import HomewardModel

/// An RFC 9457 problem document. Services throw it from routes; the runtime answers
/// `application/problem+json`. `detail` names the field and the rule, never personal
/// values.
public struct Problem: Error, HTTPResponseError, Codable, Sendable {
    public var type: String
    public var title: String
    public var statusCode: Int
    public var detail: String?
    /// The JSON pointer of the offending field, when there is one.
    public var field: String?
    /// The rule broken, as a stable identifier (e.g. `birth-date-in-future`).
    public var rule: String?
    /// The values `field` may take, when they are few (a document's kinds, its media types).
    public var allowed: [String]?
    /// What a gate still needs (the kinds of documents missing).
    public var missing: [String]?
    /// Extra response headers (a 401's `WWW-Authenticate`); not part of the document.
    public var headers: HTTPFields = [:]

    public init(status: HTTPResponse.Status, rule: String? = nil, field: String? = nil, detail: String? = nil, title: String? = nil) {
        self.statusCode = status.code
        self.title = title ?? status.reasonPhrase
        self.type = rule.map { "urn:homeward:problem:\($0)" } ?? "about:blank"
        self.rule = rule
        self.field = field
        self.detail = detail
    }

    enum CodingKeys: String, CodingKey {
        case type, title, statusCode = "status", detail, field, rule, allowed, missing
    }

    public var status: HTTPResponse.Status { HTTPResponse.Status(code: statusCode) }

    /// 409 `consent-withdrawn`: the person withdrew consent to `purpose`, which `action`
    /// needs; `missing` names the purpose. Lifted when intake records it given again.
    public static func consentWithdrawn(_ purpose: ConsentPurpose, _ action: String) -> Problem {
        var problem = Problem(status: .conflict, rule: "consent-withdrawn",
                              detail: "the person withdrew consent to \(purpose.rawValue), which \(action) needs; nothing is accepted until intake records it given again")
        problem.missing = [purpose.rawValue]
        return problem
    }

    /// 503 with `Retry-After`: the service cannot answer this now but will shortly.
    public static func tryAgain(rule: String, detail: String, afterSeconds: Int) -> Problem {
        var problem = Problem(status: .serviceUnavailable, rule: rule, detail: detail)
        problem.headers[.retryAfter] = String(afterSeconds)
        return problem
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        // No dates here: the events' encoding is `JSONEncoder` with these options, byte for byte.
        let body = try DirectJSONEncoder().bytes(self)
        var fields = headers
        fields[.contentType] = "application/problem+json"
        return Response(
            status: status,
            headers: fields,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
