import Foundation
import HomewardAudit
import HomewardStore
public import Hummingbird

/// `GET /audit?chain=C&after=CURSOR&limit=N`: the audit trail for auditors, oldest first, a
/// page at a time (the paging of every list, with pages of up to 5000 entries). Each store keeps a chain of its own (`service`, `partition-00`, …),
/// listed in every answer's `chains`; `homeward audit verify` reads every page of every
/// chain and checks each.
public struct AuditController: Sendable {
    let stores: PartitionStores

    public init(stores: PartitionStores) {
        self.stores = stores
    }

    struct Page: PagedList {
        var chain: String
        var entries: [AuditEntry]
        /// `after` for the next page; absent on the last.
        var next: String?
        /// Every chain of the service.
        var chains: [String]
    }

    /// The chains' names, the service store's first.
    static func chains(count: Int) -> [String] {
        ["service"] + (0..<count).map { "partition-\($0 < 10 ? "0" : "")\($0)" }
    }

    public func addRoutes(to router: Router<ServiceRequestContext>) {
        let stores = self.stores
        router.get("/audit", roles: [.auditor], query: PageRequest.parameters.union(["chain"])) { request, _ -> Page in
            let query = request.uri.queryParameters
            let chains = Self.chains(count: stores.count)
            let chain = query["chain"].map(String.init) ?? "service"
            guard let index = chains.firstIndex(of: chain) else {
                throw Problem(status: .badRequest, rule: "invalid-query", field: "chain",
                              detail: "one of service, partition-00 to \(chains.last!)")
            }
            let request = try PageRequest(query, defaultLimit: 1000, maximum: 5000, shape: { $0.parts.count == 1 && ($0.number(0) ?? -1) >= 0 })
            let after = Int64(request.after?.number(0) ?? 0)
            var entries = try await stores.all[index].read { db in try AuditTrail.entries(after: after, limit: request.limit + 1, in: db) }
            for i in entries.indices { entries[i].chain = chain }
            let page = request.page(of: entries) { PageKey(.number(Double($0.seq))) }
            return Page(chain: chain, entries: page.items, next: page.next, chains: chains)
        }
    }
}
