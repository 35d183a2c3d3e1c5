import HomewardModel
public import Hummingbird

/// While a partition store is being restored from its changelog, its cases are not
/// answered from it: a request for one of them, or for anything that reads every partition
/// (lists, reports, a traveller or booking found by id), gets 503 with `Retry-After`, never
/// an answer from a half-restored store. Health, metrics and the API description are
/// always answered.
public struct RestoringStores: RouterMiddleware {
    public typealias Context = ServiceRequestContext
    let stores: PartitionStores

    public init(stores: PartitionStores) {
        self.stores = stores
    }

    static let alwaysAnswered = ["/health/", "/metrics", "/openapi.yaml"]

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard !Self.alwaysAnswered.contains(where: { path.hasPrefix($0) }) else { return try await next(request, context) }
        let restoring = stores.restoringNow()
        guard !restoring.isEmpty else { return try await next(request, context) }
        let caseID = AuditMiddleware.caseID(route: context.endpointPath ?? path, path: path)
        let waitsFor = caseID.map { restoring.contains(stores.partition(of: CaseID($0))) } ?? true
        guard waitsFor else { return try await next(request, context) }
        var problem = Problem(status: .serviceUnavailable, rule: "store-restoring",
                              detail: "this service is restoring \(caseID == nil ? "some of its partition stores" : "the store of this case") from its changelog; try again shortly")
        problem.headers[.retryAfter] = "2"
        throw problem
    }
}
