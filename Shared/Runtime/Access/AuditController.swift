import Foundation
import HomewardAccess
public import HomewardStore
public import Hummingbird

/// `GET /audit?after=SEQ&limit=N`: the audit trail for auditors, oldest first, a page at a
/// time; `homeward audit verify` reads every page and checks the chain.
public struct AuditController: Sendable {
    let store: Store

    public init(store: Store) {
        self.store = store
    }

    struct Page: ResponseEncodable {
        var entries: [AuditEntry]
        /// `after` for the next page; absent on the last.
        var next: Int64?
    }

    public func addRoutes(to router: Router<ServiceRequestContext>) {
        router.get("/audit", roles: [.auditor]) { request, _ -> Page in
            let query = request.uri.queryParameters
            guard let after = Int64(query["after"].map(String.init) ?? "0"), after >= 0 else {
                throw Problem(status: .badRequest, rule: "invalid-query", field: "after", detail: "a whole number, 0 or more")
            }
            guard let limit = Int(query["limit"].map(String.init) ?? "1000"), (1...5000).contains(limit) else {
                throw Problem(status: .badRequest, rule: "invalid-query", field: "limit", detail: "a whole number from 1 to 5000")
            }
            let entries = try await store.read { db in try AuditTrail.entries(after: after, limit: limit, in: db) }
            return Page(entries: entries, next: entries.count == limit ? entries.last?.seq : nil)
        }
    }
}
