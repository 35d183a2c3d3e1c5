public import Foundation
public import HomewardAudit

/// A service's audit trail read as an auditor does, through `GET /audit`.
public enum AuditPages {
    /// Every entry of every chain (the service store's and each partition store's).
    public static func all(at base: URL) async throws -> [AuditEntry] {
        let auditor = ["Authorization": "Bearer " + (try await TestAccess.token([.auditor], subject: "test-auditor"))]
        func page(_ chain: String) async throws -> (entries: [AuditEntry], chains: [String]) {
            let reply = try await HTTP.send("GET", base.appendingPathComponent("audit").appending(queryItems: [.init(name: "chain", value: chain), .init(name: "limit", value: "5000")]),
                                            headers: auditor)
            let json = try reply.json()
            let entries = try JSONDecoder().decode([AuditEntry].self, from: JSONSerialization.data(withJSONObject: json["entries"] ?? []))
            return (entries, json["chains"] as? [String] ?? [])
        }
        let first = try await page("service")
        var all = first.entries
        for chain in first.chains.dropFirst() { all += try await page(chain).entries }
        return all
    }
}
