public import Hummingbird

/// What a request gets when no route takes it. Hummingbird answers every miss with an empty
/// 404, even for a path served with another method. Here, on a path we serve, a method we
/// do not gets 405 with an `Allow` header (RFC 9110 §15.5.6) and `OPTIONS` gets 204 with
/// the same header; a path we do not serve gets a 404 problem document.
public enum RouteFallbacks {
    /// The methods answered with 405 where they are not routed.
    static let methods: [HTTPRequest.Method] = [.get, .head, .post, .put, .patch, .delete, .trace, HTTPRequest.Method("QUERY")!]

    /// Call once every route is registered: it reads the router's routes, and the 404
    /// middleware it adds wraps only what is registered after it (the router's miss).
    public static func add(to router: Router<ServiceRequestContext>) {
        var routed: [String: (path: RouterPath, methods: Set<HTTPRequest.Method>)] = [:]
        for route in router.routes {
            routed[route.path.description, default: (route.path, [])].methods.insert(route.method)
        }
        for (path, methods) in routed.values {
            // HEAD goes wherever GET does (the router generates those endpoints).
            let served = methods.union(methods.contains(.get) ? [.head, .options] : [.options])
            let allow = served.map(\.rawValue).sorted().joined(separator: ", ")
            if !methods.contains(.options) {
                router.on(path, method: .options) { _, _ in
                    Response(status: .noContent, headers: [.allow: allow])
                }
            }
            for method in Self.methods where !served.contains(method) {
                router.on(path, method: method) { request, context -> Response in
                    var response = try Problem(
                        status: .methodNotAllowed, rule: "method-not-allowed",
                        detail: "this path answers \(allow)"
                    ).response(from: request, context: context)
                    response.headers[.allow] = allow
                    return response
                }
            }
        }
        router.add(middleware: UnknownPathMiddleware())
    }
}

/// Turns the router's bare 404 for a path it does not know into a problem document.
struct UnknownPathMiddleware: RouterMiddleware {
    typealias Context = ServiceRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            throw Problem(status: .notFound, rule: "unknown-path", detail: "no resource is at this path")
        }
    }
}
