import ArgumentParser
import Foundation
import HomewardAccess
import HomewardJourneys
import HomewardModel
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Where the services are: each on its own URL (the local stack's ports by default), or
/// all behind one gateway that routes `/intake/…`, `/health-screening/…` and so on.
struct ServiceURLs: ParsableArguments {
    @Option(help: "A gateway in front of all four services (default: $HOMEWARD_GATEWAY); overrides the per-service defaults.")
    var gateway: String?
    @Option(help: "Intake's URL (default: http://127.0.0.1:8081).") var intake: String?
    @Option(help: "Health screening's URL (default: http://127.0.0.1:8082).") var health: String?
    @Option(help: "Travel booking's URL (default: http://127.0.0.1:8083).") var travel: String?
    @Option(help: "Reintegration's URL (default: http://127.0.0.1:8084).") var reintegration: String?
    @OptionGroup var credentials: Credentials

    func client(_ service: ServiceName) -> ServiceClient {
        let explicit: String? = switch service {
        case .intake: intake
        case .healthScreening: health
        case .travelBooking: travel
        case .reintegration: reintegration
        }
        let gateway = self.gateway ?? ProcessInfo.processInfo.environment["HOMEWARD_GATEWAY"].flatMap { $0.isEmpty ? nil : $0 }
        let base = explicit
            ?? gateway.map { ($0.hasSuffix("/") ? String($0.dropLast()) : $0) + "/" + service.rawValue }
            ?? "http://127.0.0.1:\(Self.localPorts[service]!)"
        return ServiceClient(name: service.rawValue, base: URL(string: base)!)
    }

    /// The local stack's ports (`homeward up`, the services' own defaults).
    static let localPorts: [ServiceName: Int] = [.intake: 8081, .healthScreening: 8082, .travelBooking: 8083, .reintegration: 8084]

    /// A client that speaks for a member of staff holding `roles`.
    func client(_ service: ServiceName, as roles: [Role]) async throws -> ServiceClient {
        var client = client(service)
        client.authorization = try await credentials.authorization(roles: roles)
        return client
    }
}

/// Runs a command body, turning a service failure into one line and exit 1.
func oneLine(_ command: String, _ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch where error is ServiceClient.Failure || error is JourneyError || error is ServiceError {
        FileHandle.standardError.write(Data("homeward \(command): \(error)\n".utf8))
        throw ExitCode(1)
    }
}

/// `homeward case ID`: one case and its timeline across every service.
struct CaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "case", abstract: "Show one case and its timeline.")

    @Argument(help: "The case id (HW-…).") var caseID: String
    @OptionGroup var services: ServiceURLs

    func run() async throws {
        try await oneLine("case") {
            let view = try await services.client(.intake, as: [.caseworker]).call("GET", "cases/\(caseID)", expect: [200])
            let eligibility = view["eligibility"] as? [String: Any]
            print("Case \(caseID): \(view["status"] as? String ?? "?"), stage \(view["stage"] as? String ?? "?"), programme \(view["programmeID"] as? String ?? "?")")
            print("  return to \(view["returnCity"] as? String ?? "-"), \(view["returnCountry"] as? String ?? "?"); "
                  + "\((view["travellers"] as? [Any])?.count ?? 0) travellers; eligible: \(eligibility?["eligible"] as? Bool == true ? "yes" : "no")")
            printTimeline(view)
        }
    }
}

/// Prints a case's timeline as intake shows it.
func printTimeline(_ view: [String: Any]) {
    for entry in view["timeline"] as? [[String: Any]] ?? [] {
        let at = (entry["at"] as? String ?? "").prefix(19).replacingOccurrences(of: "T", with: " ")
        print("  \(at)  \((entry["actor"] as? String ?? "").padding(toLength: 17, withPad: " ", startingAt: 0)) \(entry["step"] as? String ?? ""): \(entry["outcome"] as? String ?? "")")
    }
}

/// `homeward cases`: the case list with intake's filters.
struct CasesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cases", abstract: "List cases, newest first.")

    @Option(help: "active, not-eligible, withdrawn, revoked or closed.") var status: String?
    @Option(help: "intake, screening, travel, departed, reintegration or closed.") var stage: String?
    @Option(help: "Country of return (ISO 3166-1 alpha-2).") var country: String?
    @Option(help: "Programme id.") var programme: String?
    @Option(help: "Cases whose target departure is before this instant (RFC 3339).") var deadlineBefore: String?
    @Option(help: "At most this many (1–500).") var limit = 50
    @OptionGroup var services: ServiceURLs

    func run() async throws {
        try await oneLine("cases") {
            var query = [("limit", String(limit))]
            for (name, value) in [("status", status), ("stage", stage), ("returnCountry", country), ("programme", programme), ("deadlineBefore", deadlineBefore)] {
                if let value { query.append((name, value)) }
            }
            let path = "cases?" + query.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? $0.1)" }.joined(separator: "&")
            let list = try await services.client(.intake, as: [.caseworker]).call("GET", path, expect: [200])
            let cases = list["cases"] as? [[String: Any]] ?? []
            print("\(list["total"] as? Int ?? 0) cases\(cases.count < (list["total"] as? Int ?? 0) ? ", showing \(cases.count)" : "")")
            for c in cases {
                print("  \((c["caseID"] as? String ?? "").padding(toLength: 18, withPad: " ", startingAt: 0)) "
                      + "\((c["status"] as? String ?? "").padding(toLength: 13, withPad: " ", startingAt: 0)) "
                      + "\((c["stage"] as? String ?? "").padding(toLength: 14, withPad: " ", startingAt: 0)) "
                      + "\(c["returnCountry"] as? String ?? "")  \(c["travellers"] as? Int ?? 0) travellers  \(c["programmeID"] as? String ?? "")")
            }
        }
    }
}

/// `homeward report 5w`: the 5W report, persons not services.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Reports.", subcommands: [FiveW.self])

    struct FiveW: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "5w", abstract: "The 5W report for a period of months, as CSV or JSON.")

        @Option(help: "First month, YYYY-MM.") var from: String
        @Option(help: "Last month, YYYY-MM.") var to: String
        @Option(help: "csv or json.") var format = "csv"
        @OptionGroup var services: ServiceURLs

        func run() async throws {
            try await oneLine("report 5w") {
                let client = try await services.client(.intake, as: [.supervisor])
                let text = try await client.text(client.request("reports/5w?from=\(from)&to=\(to)&format=\(format)"))
                print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
            }
        }
    }
}
