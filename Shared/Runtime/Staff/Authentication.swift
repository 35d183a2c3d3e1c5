public import HomewardAccess
public import Hummingbird
import HomewardModel
import JWTKit

/// Requires a valid bearer token on every request but liveness, readiness and metrics,
/// and puts the caller's identity in the context. Runs before routing, so an
/// unauthenticated caller learns nothing about which paths exist.
public struct Authentication: RouterMiddleware {
    public typealias Context = ServiceRequestContext
    let keys: AccessKeys

    /// What an orchestrator and a metrics scraper reach without a token.
    public static let publicPaths: Set<String> = ["/health/live", "/health/ready", "/metrics"]

    public init(keys: AccessKeys) {
        self.keys = keys
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if Self.publicPaths.contains(request.uri.path) { return try await next(request, context) }
        guard let header = request.headers[.authorization] else {
            throw Problem.unauthenticated(rule: "token-required", detail: "this endpoint needs a bearer token (Authorization: Bearer <JWT>)")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw Problem.unauthenticated(rule: "token-required", detail: "the Authorization header must be 'Bearer <JWT>'")
        }
        let claims: StaffClaims
        do {
            claims = try await keys.verify(String(parts[1]).trimmingCharacters(in: .whitespaces))
        } catch let error as JWTError where error.failedClaim is ExpirationClaim {
            throw Problem.unauthenticated(rule: "token-expired", detail: "the token has expired")
        } catch {
            throw Problem.unauthenticated(rule: "token-invalid", detail: "the token is malformed, not signed by a key this service trusts, or not for Homeward")
        }
        var context = context
        let staff = StaffIdentity(subject: claims.sub.value, roles: claims.knownRoles, displayName: claims.displayName)
        context.staff = staff
        return try await StaffIdentity.$current.withValue(staff) {
            try await FromToken.$subject.withValue(staff.subject) { try await next(request, context) }
        }
    }
}

extension Problem {
    /// 401 with the challenge RFC 6750 asks for.
    static func unauthenticated(rule: String, detail: String) -> Problem {
        var problem = Problem(status: .unauthorized, rule: rule, detail: detail)
        problem.headers[.wwwAuthenticate] = rule == "token-required" ? "Bearer realm=\"homeward\"" : "Bearer realm=\"homeward\", error=\"invalid_token\""
        return problem
    }
}
