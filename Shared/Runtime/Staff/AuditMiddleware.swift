import Foundation
import Synchronization
import Logging
import HomewardModel
import HomewardStore
public import Hummingbird

/// One audit entry for every authenticated request (reads included: most answer with
/// personal data). A request that changes something has its entry committed in the same
/// transaction as the change (``RequestScope``), so there is no change without its actor; any
/// other request gets its entry, with the status answered, before the answer leaves, and if
/// it cannot be written the caller gets 503 and not the data: nothing unaccounted for.
/// An entry that names a case goes into the chain of the case's partition store; the rest
/// (lists, reports, searches) into the service store's.
public struct AuditMiddleware: RouterMiddleware {
    public typealias Context = ServiceRequestContext
    let stores: PartitionStores
    /// With a changelog, a change is answered once it is in Kafka.
    let changelog: ChangelogBarrier?

    public init(stores: PartitionStores, changelog: ChangelogBarrier? = nil) {
        self.stores = stores
        self.changelog = changelog
    }

    /// Not worth a line: the API's own description.
    static let unaudited: Set<String> = ["/openapi.yaml"]

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let staff = context.staff, !Self.unaudited.contains(request.uri.path) else { return try await next(request, context) }
        let route = context.endpointPath ?? request.uri.path
        let path = request.uri.path
        let forwarded = request.headers[.init("X-Forwarded-For")!]
        let remote = context.remoteAddress ?? "unknown"
        let scope = RequestScope(actor: staff.subject, actorName: staff.displayName, roles: staff.roles.sorted().map(\.rawValue),
                               action: "\(request.method) \(Self.routeName(route))", path: path,
                               caseID: Self.caseID(route: route, path: path), from: forwarded.map { "\($0) via \(remote)" } ?? remote,
                               fence: RequestRouting.current == nil ? nil : stores.ownedHere)
        let outcome: Result<Response, any Error>
        do {
            outcome = .success(try await RequestScope.$current.withValue(scope) { try await next(request, context) })
        } catch {
            outcome = .failure(error)
        }
        // Sent on to the owners of the stores it needs: they audit it.
        if case .failure(let error) = outcome, error is ForwardToOwners { throw error }
        guard !scope.isRecorded else {
            if let changelog { await awaitChangelog(of: scope, changelog, logger: context.logger) }
            return try outcome.get()
        }
        let status: Int = switch outcome {
        case .success(let response): response.status.code
        case .failure(let error as any HTTPResponseError): error.status.code
        case .failure: 500
        }
        do {
            let store = scope.caseID.map { stores.store(for: CaseID($0)) } ?? stores.service
            do {
                try await store.write { db in
                    try scope.fence?(store, db)
                    try scope.append(outcome: status, in: db)
                }
            } catch is Problem where scope.fence != nil && store !== stores.service {
                // A case store this host no longer owns is not written (its owner's copy is the record): the host's own store is.
                try await stores.service.write { db in try scope.append(outcome: status, in: db) }
            }
        } catch {
            context.logger.error("audit entry not written: \(error)")
            throw Problem(status: .serviceUnavailable, rule: "audit-unavailable", detail: "the audit trail cannot be written; try again")
        }
        return try outcome.get()
    }

    /// A change is answered once it is in the changelog of its store (``ChangelogBarrier``).
    private func awaitChangelog(of scope: RequestScope, _ changelog: ChangelogBarrier, logger: Logger) async {
        for store in scope.writtenStores where !(await changelog.wait(for: store)) {
            logger.warning("a change answered before its changelog record was acknowledged: the broker is slow or unreachable")
        }
    }

    /// `/cases/{caseID}` as Hummingbird names a route, to `/cases/:caseID`.
    static func routeName(_ route: String) -> String { RouteShape.of(route).name }

    /// The value in `path` where `route` has its case id parameter.
    static func caseID(route: String, path: String) -> String? {
        let shape = RouteShape.of(route)
        guard let index = shape.caseIDIndex else { return nil }
        let parts = path.split(separator: "/")
        guard shape.segments <= parts.count else { return nil }
        return String(parts[index])
    }
}

/// A route's audit name and where its case id sits, worked out once per route: every
/// request asks three times (the audit, the owner's forwarding, a restore's refusal), and
/// splitting and joining the route each time cost a request about 60,000 instructions.
struct RouteShape: Sendable {
    let name: String
    /// Non-empty segments of the route.
    let segments: Int
    let caseIDIndex: Int?

    private static let known = Mutex<[String: RouteShape]>([:])
    /// More than the four services' routes together. A request that matched no route passes
    /// its own path, which may hold braces too: past this, shapes are worked out, not kept.
    private static let remembered = 256

    static func of(_ route: String) -> RouteShape {
        // Without a parameter a route is its own name, and names no case.
        guard route.contains("{") else { return RouteShape(name: route, segments: 0, caseIDIndex: nil) }
        if let shape = known.withLock({ $0[route] }) { return shape }
        let name = route.split(separator: "/", omittingEmptySubsequences: false).map { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? ":" + part.dropFirst().dropLast() : String(part)
        }.joined(separator: "/")
        let pattern = name.split(separator: "/")
        let shape = RouteShape(name: name, segments: pattern.count, caseIDIndex: pattern.firstIndex(of: ":caseID"))
        known.withLock { if $0.count < remembered { $0[route] = shape } }
        return shape
    }
}
