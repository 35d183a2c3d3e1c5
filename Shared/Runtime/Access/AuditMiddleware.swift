import Foundation
import HomewardModel
import HomewardStore
public import Hummingbird

/// Appends one audit entry for every authenticated request (reads included: most answer
/// with personal data), with the status answered, before the answer leaves. If the entry
/// cannot be written the caller gets 503 and not the data: nothing unaccounted for.
/// An entry that names a case goes into the chain of the case's partition store; the rest
/// (lists, reports, searches) into the service store's.
public struct AuditMiddleware: RouterMiddleware {
    public typealias Context = ServiceRequestContext
    let stores: PartitionStores

    public init(stores: PartitionStores) {
        self.stores = stores
    }

    /// Not worth a line: the API's own description.
    static let unaudited: Set<String> = ["/openapi.yaml"]

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let staff = context.staff, !Self.unaudited.contains(request.uri.path) else { return try await next(request, context) }
        let outcome: Result<Response, any Error>
        do {
            outcome = .success(try await next(request, context))
        } catch {
            outcome = .failure(error)
        }
        let status: Int = switch outcome {
        case .success(let response): response.status.code
        case .failure(let error as any HTTPResponseError): error.status.code
        case .failure: 500
        }
        let route = context.endpointPath ?? request.uri.path
        let path = request.uri.path
        var caseID = Self.caseID(route: route, path: path)
        if caseID == nil, case .success(let response) = outcome, let location = response.headers[.location] {
            caseID = Self.caseID(route: "/cases/:caseID", path: location)
        }
        let forwarded = request.headers[.init("X-Forwarded-For")!]
        let remote = context.remoteAddress ?? "unknown"
        let from = forwarded.map { "\($0) via \(remote)" } ?? remote
        let entry = (at: Instant.format(Date()), actor: staff.subject, roles: staff.roles.sorted().map(\.rawValue),
                     action: "\(request.method) \(Self.routeName(route))", path: path, caseID: caseID, from: from)
        do {
            let store = entry.caseID.map { stores.store(for: CaseID($0)) } ?? stores.service
            _ = try await store.write { db in
                try AuditTrail.append(at: entry.at, actor: entry.actor, roles: entry.roles, action: entry.action, path: entry.path,
                                      caseID: entry.caseID, from: entry.from, outcome: status, in: db)
            }
        } catch {
            context.logger.error("audit entry not written: \(error)")
            throw Problem(status: .serviceUnavailable, rule: "audit-unavailable", detail: "the audit trail cannot be written; try again")
        }
        return try outcome.get()
    }

    /// `/cases/{caseID}` as Hummingbird names a route, to `/cases/:caseID`.
    static func routeName(_ route: String) -> String {
        route.split(separator: "/", omittingEmptySubsequences: false).map { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? ":" + part.dropFirst().dropLast() : String(part)
        }.joined(separator: "/")
    }

    /// The value in `path` where `route` has its case id parameter.
    static func caseID(route: String, path: String) -> String? {
        let pattern = routeName(route).split(separator: "/")
        let parts = path.split(separator: "/")
        guard pattern.count <= parts.count else { return nil }
        for (name, value) in zip(pattern, parts) where name == ":caseID" { return String(value) }
        return nil
    }
}
