import HomewardModel
public import Hummingbird

/// While a partition store is being restored from its changelog, its cases are not
/// answered from it: a request whose path names one of them gets 503 with `Retry-After`.
/// (Lists, reports and records found by another id are refused by ``PartitionStores``
/// itself while a store they would read is being restored.)
public struct RestoringStores: RouterMiddleware {
    public typealias Context = ServiceRequestContext
    let stores: PartitionStores

    public init(stores: PartitionStores) {
        self.stores = stores
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let restoring = stores.restoringNow()
        guard !restoring.isEmpty, let caseID = AuditMiddleware.caseID(route: context.endpointPath ?? request.uri.path, path: request.uri.path),
              restoring.contains(stores.partition(of: CaseID(caseID))) else { return try await next(request, context) }
        throw PartitionStores.restoringProblem
    }
}
