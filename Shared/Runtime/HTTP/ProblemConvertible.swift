public import Hummingbird

/// A service's typed domain error, answered as the problem document its controllers map
/// it to: the domain says which rule broke, the controller how HTTP says it.
public protocol ProblemConvertible: HTTPResponseError {
    var problem: Problem { get }
}

extension ProblemConvertible {
    public var status: HTTPResponse.Status { problem.status }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        try problem.response(from: request, context: context)
    }
}

extension Problem {
    /// 422: the request is well formed but breaks `rule` at `field`.
    public static func invalid(_ field: String?, _ rule: String, _ detail: String) -> Problem {
        Problem(status: .unprocessableContent, rule: rule, field: field, detail: detail)
    }

    /// 409: the record's state does not allow this now.
    public static func conflict(_ rule: String, _ detail: String, field: String? = nil) -> Problem {
        Problem(status: .conflict, rule: rule, field: field, detail: detail)
    }

    /// 404: no record with this id.
    public static func notFound(_ rule: String, _ detail: String) -> Problem {
        Problem(status: .notFound, rule: rule, detail: detail)
    }
}
