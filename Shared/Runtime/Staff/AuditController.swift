import Foundation
import GRDB
import HomewardAudit
import HomewardModel
import HomewardStore
public import Hummingbird

/// `GET /audit?chain=C&after=CURSOR&limit=N`: the audit trail for auditors, oldest first, a
/// page at a time (the paging of every list, with pages of up to 5000 entries). Each store keeps a chain of its own (`service`, `partition-00`, …),
/// listed in every answer's `chains`; `homeward audit verify` reads every page of every
/// chain and checks each.
///
/// `GET /audit?case=HW-…&actor=A&from=T&to=T`: the entries of every chain that match the
/// filters given, in time order (then chain, then `seq`), each naming its chain: who
/// touched a case (`homeward audit report`), what one person did, what happened in a period.
/// The partition stores owned on another host are read there (``PartitionStores/readEach(_:)``);
/// the `service` chain is this host's.
public struct AuditController: Sendable {
    let stores: PartitionStores

    public init(stores: PartitionStores) {
        self.stores = stores
    }

    struct Page: PagedList {
        /// The chain read; absent on a filtered answer, whose entries name theirs.
        var chain: String?
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

    /// The query parameters that filter the trail.
    static let filterParameters: Set<String> = ["case", "actor", "from", "to"]

    public func addRoutes(to router: Router<ServiceRequestContext>) {
        let stores = self.stores
        router.get("/audit", roles: [.auditor], query: PageRequest.parameters.union(["chain"]).union(Self.filterParameters)) { request, _ -> Page in
            let query = request.uri.queryParameters
            let chains = Self.chains(count: stores.count)
            if let filter = try Self.filter(query) {
                return try await Self.filtered(filter, query, chains: chains, in: stores)
            }
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

    /// The filters of the query, nil when it has none; a bad value is refused naming the
    /// parameter and what it takes.
    static func filter(_ query: Parameters) throws -> AuditTrail.Filter? {
        func invalid(_ name: String, _ detail: String) -> Problem {
            Problem(status: .badRequest, rule: "invalid-query", field: name, detail: detail)
        }
        var filter = AuditTrail.Filter()
        if let text = query["case"].map(String.init) {
            guard text.hasPrefix("HW-"), (4...67).contains(text.count),
                  text.dropFirst(3).allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
                throw invalid("case", "a case id: HW- then 1 to 64 letters, digits or hyphens")
            }
            filter.caseID = text
        }
        if let text = query["actor"].map(String.init) {
            guard (1...200).contains(text.unicodeScalars.count) else { throw invalid("actor", "a token's subject, 1 to 200 characters") }
            filter.actor = text
        }
        func instant(_ name: String) throws -> Date? {
            guard let text = query[Substring(name)].map(String.init) else { return nil }
            guard let date = Instant.parse(text) else { throw invalid(name, "an RFC 3339 instant, such as 2026-12-07T09:00:00Z") }
            return date
        }
        let from = try instant("from"), to = try instant("to")
        if let from, let to, to <= from { throw invalid("to", "an instant later than `from` (the period is from `from`, included, to `to`, excluded)") }
        filter.from = from.map(Instant.format)
        filter.to = to.map(Instant.format)
        guard !filter.isEmpty else { return nil }
        if query["chain"] != nil {
            throw invalid("chain", "leave `chain` out with a filter (case, actor, from, to): a filter reads every chain")
        }
        return filter
    }

    /// A page of the entries `filter` matches in every chain, in time order.
    static func filtered(_ filter: AuditTrail.Filter, _ query: Parameters, chains: [String], in stores: PartitionStores) async throws -> Page {
        let request = try PageRequest(query, defaultLimit: 1000, maximum: 5000, shape: { key in
            key.parts.count == 3 && key.text(0) != nil && key.text(1).map(chains.contains) == true && (key.number(2) ?? -1) >= 0
        })
        // Who reads a case's trail is in that case's trail too.
        if let caseID = filter.caseID { RequestScope.current?.concerns(caseID) }
        let start = request.after?.text(0), limit = request.limit + 1
        let read: @Sendable (Database) throws -> [AuditEntry] = { db in try AuditTrail.entries(matching: filter, from: start, limit: limit, in: db) }
        let partitions = try await stores.readEach(read)
        let own = try await stores.service.read(read)
        var entries: [AuditEntry] = []
        for (chain, part) in zip(chains, [own] + partitions) {
            entries += part.map { entry in
                var entry = entry
                entry.chain = chain
                return entry
            }
        }
        let page = request.page(of: entries) { PageKey(.text($0.at), .text($0.chain ?? ""), .number(Double($0.seq))) }
        return Page(chain: nil, entries: page.items, next: page.next, chains: chains)
    }
}
