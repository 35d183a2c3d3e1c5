import ArgumentParser
import Foundation
import HomewardAudit
import HomewardClient
import HomewardModel

/// `homeward audit export|verify|report`: an auditor's view of each service's audit trail.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Export a service's audit trail, verify its hash chain, or report who touched a case.",
        subcommands: [Export.self, Verify.self, Report.self])

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
        let first = try await pages(of: api, [("chain", "service")])
        var entries = first.entries
        for chain in first.chains.dropFirst() { entries += try await pages(of: api, [("chain", chain)]).entries }
        return entries
    }

    /// Every page of `GET /audit` with `parameters`, and the service's chains.
    static func pages(of api: ServiceAPI, _ parameters: [(String, String?)]) async throws -> (entries: [AuditEntry], chains: [String]) {
        var entries: [AuditEntry] = []
        var chains = ["service"]
        var after: String?
        repeat {
            let page = try await api.call(ServiceAPI.path("audit", parameters + [("limit", "5000"), ("after", after)]), as: AuditPage.self)
            if let all = page.chains { chains = all }
            entries += page.entries
            after = page.next
        } while after != nil
        return (entries, chains)
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
            discussion: "Reads the trail from the service (or an exported file) and recomputes every entry's hash, chain by chain (the service store's, then one per partition store). Entries past their retention (AUDIT_RETENTION_DAYS) have had their content emptied: they must be the oldest, and still link. Exits 1 at the first entry that does not hold. Record the head hashes it prints: a later run with --expect-head also detects entries cut from the end of that chain.")
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
                        // Entries past their retention keep their place and instant, not their content.
                        let pruned = entries.filter(\.pruned)
                        heads.append("  \(chain): \(count) entries, head \(head)" + (pruned.last.map { ", the first \(pruned.count) emptied past their retention (the last of them at \($0.at))" } ?? ""))
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

extension AuditCommand {
    /// `homeward audit report HW-…`: who touched one case, in the four services' audit
    /// trails, as one timeline. Each service answers its entries of the case
    /// (`GET /audit?case=`), and records the auditor's request in the case's trail as it
    /// records every request. Only what the trails hold: ids, routes, actors, statuses.
    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Who touched a case across the four services: one timeline from their audit trails.",
            discussion: "Prints one line per entry, oldest first: when (UTC), the service, the actor (the token's subject, and its display name when the token carried one), the roles, the route called and the HTTP status answered. A service that does not answer is named, the report is marked incomplete and the command exits 1.")
        @Argument(help: "The case id (HW-…).") var caseID: String
        @Flag(help: "Print JSON: the case, every entry with its service and chain, and the services missing.") var json = false
        @OptionGroup var services: ServiceURLs

        /// One entry of the report: the trail's entry and the service whose trail holds it.
        struct Line: Codable {
            var service: String
            var entry: AuditEntry
        }

        /// The report as `--json` prints it.
        struct Document: Codable {
            var caseID: String
            var complete: Bool
            var entries: [Line]
            /// The services that could not be asked, and why.
            var missing: [String: String]
        }

        func run() async throws {
            try await oneLine("audit report") {
                var lines: [Line] = []
                var missing: [String: String] = [:]
                for service in ServiceName.allCases {
                    do {
                        let api = try await services.api(service, as: [.auditor])
                        lines += try await AuditCommand.pages(of: api, [("case", caseID)]).entries.map { Line(service: service.rawValue, entry: $0) }
                    } catch let error as ServiceError where error.status == nil {
                        // Not answering: the others still report, and the report says what it lacks.
                        missing[service.rawValue] = "\(error)"
                    }
                }
                let order = Dictionary(uniqueKeysWithValues: ServiceName.allCases.enumerated().map { ($1.rawValue, $0) })
                lines.sort { a, b in
                    (a.entry.at, order[a.service] ?? 0, a.entry.chain ?? "", a.entry.seq) < (b.entry.at, order[b.service] ?? 0, b.entry.chain ?? "", b.entry.seq)
                }
                if json {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                    let document = Document(caseID: caseID, complete: missing.isEmpty, entries: lines, missing: missing)
                    print(String(decoding: try encoder.encode(document), as: UTF8.self))
                } else {
                    print(Self.text(caseID, lines, missing: missing))
                }
                if !missing.isEmpty { throw ExitCode(1) }
            }
        }

        /// The report for people: a heading, then one aligned line per entry.
        static func text(_ caseID: String, _ lines: [Line], missing: [String: String]) -> String {
            let touched = Set(lines.map(\.service)).count
            var out = ["Case \(caseID): \(lines.count) audit entr\(lines.count == 1 ? "y" : "ies") in \(touched) of 4 services"
                       + (missing.isEmpty ? "" : " (INCOMPLETE: \(missing.keys.sorted().joined(separator: ", ")) did not answer)")]
            func column(_ text: String, _ width: Int) -> String { text.count >= width ? text + " " : text.padding(toLength: width, withPad: " ", startingAt: 0) }
            if !lines.isEmpty {
                out.append("  " + column("when (UTC)", 25) + column("service", 18) + column("actor", 28) + column("roles", 24) + column("action", 46) + "status")
            }
            for line in lines {
                let entry = line.entry
                let at = entry.at.replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: "")
                let actor = entry.actorName.map { "\(entry.actor) (\($0))" } ?? entry.actor
                out.append("  " + column(at, 25) + column(line.service, 18) + column(actor, 28) + column(entry.roles.joined(separator: ","), 24)
                           + column(entry.action, 46) + String(entry.outcome))
            }
            for (service, why) in missing.sorted(by: { $0.key < $1.key }) {
                out.append("  MISSING \(service): \(why)")
            }
            return out.joined(separator: "\n")
        }
    }
}
