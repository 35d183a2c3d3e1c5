import Foundation
public import Hummingbird

/// Headers every answer carries, errors included: `X-Request-ID` (the caller's, when it
/// sent a usable one, else a new UUID), echoed and set on the request's logger, so that a
/// line logged while answering carries it; and `Cache-Control: no-store` on everything but the
/// public probes and the API's description, since answers carry personal or medical data.
public struct AnswerHeaders: RouterMiddleware {
    public typealias Context = ServiceRequestContext

    public init() {}

    static let cacheable: Set<String> = ["/health/live", "/health/ready", "/metrics", "/openapi.yaml"]

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let id = request.headers[.init("X-Request-ID")!].flatMap(Self.usable) ?? UUID().uuidString.lowercased()
        var context = context
        context.logger[metadataKey: "request_id"] = "\(id)"
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[.init("X-Request-ID")!] = id
        if !Self.cacheable.contains(request.uri.path) { response.headers[.cacheControl] = "no-store" }
        return response
    }

    /// 1 to 200 visible ASCII characters: an id a log line and a header carry safely.
    static func usable(_ id: String) -> String? {
        (1...200).contains(id.utf8.count) && id.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) ? id : nil
    }
}
