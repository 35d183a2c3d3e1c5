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

/// Routes that state their roles: `router.get("/cases/:caseID", roles: [.caseworker], use: show)`.
extension RouterMethods where Context == ServiceRequestContext {
    @discardableResult
    public func on(_ path: RouterPath, method: HTTPRequest.Method, roles: Set<Role>,
                   use handler: @Sendable @escaping (Request, Context) async throws -> some ResponseGenerator) -> Self {
        group().add(middleware: RequireRoles(roles)).on(path, method: method, use: handler)
        return self
    }

    @discardableResult
    public func get(_ path: RouterPath, roles: Set<Role>, use handler: @Sendable @escaping (Request, Context) async throws -> some ResponseGenerator) -> Self {
        on(path, method: .get, roles: roles, use: handler)
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
