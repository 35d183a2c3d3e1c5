public import HomewardAccess
public import Hummingbird

/// Lets through callers holding at least one of `roles`; others get 403 naming the roles.
public struct RequireRoles: RouterMiddleware {
    public typealias Context = ServiceRequestContext
    public let roles: Set<Role>

    public init(_ roles: Set<Role>) {
        precondition(!roles.isEmpty, "an endpoint states at least one role")
        self.roles = roles
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let staff = context.staff else {
            throw Problem.unauthenticated(rule: "token-required", detail: "this endpoint needs a bearer token (Authorization: Bearer <JWT>)")
        }
        guard !staff.roles.isDisjoint(with: roles) else {
            throw Problem(status: .forbidden, rule: "role-required",
                          detail: "this endpoint needs one of the roles: \(roles.sorted().map(\.rawValue).joined(separator: ", "))")
        }
        return try await next(request, context)
    }
}

/// Routes that state their roles, and the query parameters they take (any other is
/// refused, so that a misspelt filter is not silently ignored):
/// `router.get("/cases", roles: [.caseworker], query: ["status"], use: list)`.
extension RouterMethods where Context == ServiceRequestContext {
    @discardableResult
    public func on(_ path: RouterPath, method: HTTPRequest.Method, roles: Set<Role>, query: Set<String> = [],
                   use handler: @Sendable @escaping (Request, Context) async throws -> some ResponseGenerator) -> Self {
        group().add(middleware: RequireRoles(roles)).add(middleware: KnownQueryParameters(query)).on(path, method: method, use: handler)
        return self
    }

    @discardableResult
    public func get(_ path: RouterPath, roles: Set<Role>, query: Set<String> = [],
                    use handler: @Sendable @escaping (Request, Context) async throws -> some ResponseGenerator) -> Self {
        on(path, method: .get, roles: roles, query: query, use: handler)
    }

    @discardableResult
    public func post(_ path: RouterPath, roles: Set<Role>, use handler: @Sendable @escaping (Request, Context) async throws -> some ResponseGenerator) -> Self {
        on(path, method: .post, roles: roles, use: handler)
    }

    @discardableResult
    public func put(_ path: RouterPath, roles: Set<Role>, use handler: @Sendable @escaping (Request, Context) async throws -> some ResponseGenerator) -> Self {
        on(path, method: .put, roles: roles, use: handler)
    }

    @discardableResult
    public func patch(_ path: RouterPath, roles: Set<Role>, use handler: @Sendable @escaping (Request, Context) async throws -> some ResponseGenerator) -> Self {
        on(path, method: .patch, roles: roles, use: handler)
    }
}

/// Refuses a query parameter the endpoint does not take, naming it and those it does.
public struct KnownQueryParameters: RouterMiddleware {
    public typealias Context = ServiceRequestContext
    let known: Set<String>

    public init(_ known: Set<String>) {
        self.known = known
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let unknown = request.uri.queryParameters.map({ String($0.key) }).sorted().first(where: { !known.contains($0) }) {
            throw Problem(status: .badRequest, rule: "unknown-query-parameter", field: unknown,
                          detail: known.isEmpty ? "this endpoint takes no query parameters"
                              : "this endpoint takes \(known.sorted().joined(separator: ", "))")
        }
        return try await next(request, context)
    }
}
