import ArgumentParser
import Foundation
import HomewardAudit
import HomewardClient
import HomewardModel

/// `homeward audit export|verify`: an auditor's view of each service's audit trail.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Export a service's audit trail, or verify its hash chain.",
        subcommands: [Export.self, Verify.self])

    static func service(_ name: String) throws -> ServiceName {
        guard let service = ServiceName(rawValue: name) else {
            throw ValidationError("unknown service '\(name)'; one of \(ServiceName.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return service
    }

    /// Every entry of every chain (the service store's, then each partition store's), a
    /// page at a time; each entry names its chain.
    static func fetch(_ service: ServiceName, from services: ServiceURLs) async throws -> [AuditEntry] {
        let api = try await services.api(service, as: [.auditor])
        var entries: [AuditEntry] = []
        var chains = ["service"]
        var index = 0
        while index < chains.count {
            var after: String?
            while true {
                let page = try await api.call(ServiceAPI.path("audit", [("chain", chains[index]), ("limit", "5000"), ("after", after)]), as: AuditPage.self)
                if index == 0, let all = page.chains { chains = all }
                entries += page.entries
                guard let next = page.next else { break }
                after = next
            }
            index += 1
        }
        return entries
    }

    /// One page of `GET /audit` (the runtime's audit controller).
    private struct AuditPage: Decodable {
        var chains: [String]?
        var entries: [AuditEntry]
        var next: String?
    }

    /// Entries by chain, in the order first seen (an export from before chains: one chain).
    static func byChain(_ entries: [AuditEntry]) -> [(String, [AuditEntry])] {
        var order: [String] = []
        var groups: [String: [AuditEntry]] = [:]
        for entry in entries {
            let chain = entry.chain ?? "service"
            if groups[chain] == nil { order.append(chain) }
            groups[chain, default: []].append(entry)
        }
        return order.map { ($0, groups[$0]!) }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a service's audit trail as JSON lines, oldest first.")
        @Argument(help: "intake, health-screening, travel-booking or reintegration.") var service: String
        @OptionGroup var services: ServiceURLs

        func run() async throws {
            let name = try AuditCommand.service(service)
            try await oneLine("audit export") {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                for entry in try await AuditCommand.fetch(name, from: services) {
                    print(String(decoding: try encoder.encode(entry), as: UTF8.self))
                }
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check that no entry of a service's audit trail was altered, removed or inserted.",
            discussion: "Reads the trail from the service (or an exported file) and recomputes every entry's hash, chain by chain (the service store's, then one per partition store). Exits 1 at the first entry that does not hold. Record the head hashes it prints: a later run with --expect-head also detects entries cut from the end of that chain.")
        @Argument(help: "intake, health-screening, travel-booking or reintegration.") var service: String
        @Option(help: "Verify this export (JSON lines) instead of asking the service.") var file: String?
        @Option(help: "A head hash recorded earlier: it must still be in the trail.") var expectHead: String?
        @OptionGroup var services: ServiceURLs

        func run() async throws {
            let name = try AuditCommand.service(service)
            try await oneLine("audit verify") {
                let entries: [AuditEntry]
                if let file {
                    let decoder = JSONDecoder()
                    entries = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map {
                        try decoder.decode(AuditEntry.self, from: Data($0.utf8))
                    }
                } else {
                    entries = try await AuditCommand.fetch(name, from: services)
                }
                let chains = AuditCommand.byChain(entries)
                var heads: [String] = []
                for (chain, entries) in chains {
                    switch AuditChain.verify(entries) {
                    case .broken(let seq, let reason):
                        print("\(name.rawValue): audit trail BROKEN in chain \(chain) at entry \(seq): \(reason)")
                        throw ExitCode(1)
                    case .intact(let count, let head):
                        heads.append("  \(chain): \(count) entries, head \(head)")
                    }
                }
                if let expectHead, !entries.contains(where: { $0.hash == expectHead }) {
                    print("\(name.rawValue): audit trail BROKEN: the recorded head \(expectHead) is gone (entries were cut from the end)")
                    throw ExitCode(1)
                }
                print("\(name.rawValue): audit trail intact, \(entries.count) entries in \(chains.count) chains")
                for line in heads { print(line) }
            }
        }
    }
}
