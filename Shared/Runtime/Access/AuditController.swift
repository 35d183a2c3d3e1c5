import Foundation
import HomewardAccess
import HomewardStore
public import Hummingbird

/// `GET /audit?chain=C&after=SEQ&limit=N`: the audit trail for auditors, oldest first, a
/// page at a time. Each store keeps a chain of its own (`service`, `partition-00`, …),
/// listed in every answer's `chains`; `homeward audit verify` reads every page of every
/// chain and checks each.
public struct AuditController: Sendable {
    let stores: PartitionStores

    public init(stores: PartitionStores) {
        self.stores = stores
    }

    struct Page: ResponseEncodable {
        var chain: String
        var entries: [AuditEntry]
        /// `after` for the next page; absent on the last.
        var next: Int64?
        /// Every chain of the service.
        var chains: [String]
    }

    /// The chains' names, the service store's first.
    static func chains(count: Int) -> [String] {
        ["service"] + (0..<count).map { "partition-\($0 < 10 ? "0" : "")\($0)" }
    }

    public func addRoutes(to router: Router<ServiceRequestContext>) {
        let stores = self.stores
        router.get("/audit", roles: [.auditor], query: ["chain", "after", "limit"]) { request, _ -> Page in
            let query = request.uri.queryParameters
            let chains = Self.chains(count: stores.count)
            let chain = query["chain"].map(String.init) ?? "service"
            guard let index = chains.firstIndex(of: chain) else {
                throw Problem(status: .badRequest, rule: "invalid-query", field: "chain",
                              detail: "one of service, partition-00 to \(chains.last!)")
            }
            guard let after = Int64(query["after"].map(String.init) ?? "0"), after >= 0 else {
                throw Problem(status: .badRequest, rule: "invalid-query", field: "after", detail: "a whole number, 0 or more")
            }
            guard let limit = Int(query["limit"].map(String.init) ?? "1000"), (1...5000).contains(limit) else {
                throw Problem(status: .badRequest, rule: "invalid-query", field: "limit", detail: "a whole number from 1 to 5000")
            }
            var entries = try await stores.all[index].read { db in try AuditTrail.entries(after: after, limit: limit, in: db) }
            for i in entries.indices { entries[i].chain = chain }
            return Page(chain: chain, entries: entries, next: entries.count == limit ? entries.last?.seq : nil, chains: chains)
        }
    }
}
