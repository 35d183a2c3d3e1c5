import ArgumentParser
import Foundation
import HomewardAccess
import HomewardClient
import HomewardJourneys
import HomewardModel
import IntakeAPI
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

    /// The service's base URL.
    func base(_ service: ServiceName) -> URL {
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
        return URL(string: base)!
    }

    /// The local stack's ports (`homeward up`, the services' own defaults).
    static let localPorts: [ServiceName: Int] = [.intake: 8081, .healthScreening: 8082, .travelBooking: 8083, .reintegration: 8084]

    /// The transport to `service`, speaking for a member of staff holding `roles` (none: no token).
    func api(_ service: ServiceName, as roles: [Role] = []) async throws -> ServiceAPI {
        // A command answers at once: no retries of reads while a service is down.
        ServiceAPI(name: service.rawValue, base: base(service), session: .shared,
                   authorization: roles.isEmpty ? nil : try await credentials.authorization(roles: roles), retryingReads: false)
    }

    /// Intake as a member of staff holding `roles`.
    func intake(as roles: [Role]) async throws -> IntakeClient {
        IntakeClient(try await api(.intake, as: roles))
    }
}

/// Runs a command body, turning a service failure into one line and exit 1.
func oneLine(_ command: String, _ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch where error is CommandFailure || error is JourneyError || error is ServiceError {
        FileHandle.standardError.write(Data("homeward \(command): \(line(error))\n".utf8))
        throw ExitCode(1)
    }
}

/// The failure as one line, saying what to do when the caller can fix it.
private func line(_ error: any Error) -> String {
    guard let error = error as? ServiceError else { return "\(error)" }
    if case .unreachable = error.failure, let base = error.base {
        return "\(error.service) is not answering at \(base.absoluteString) (is the stack running? `make run`)"
    }
    if error.status == 401 { return "\(error) (pass --token or set HOMEWARD_TOKEN; on the local stack, homeward up's data/auth-dev.key signs one)" }
    return "\(error)"
}

/// `homeward case ID`: one case and its timeline across every service.
struct CaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "case", abstract: "Show one case and its timeline.")

    @Argument(help: "The case id (HW-…).") var caseID: String
    @OptionGroup var services: ServiceURLs

    func run() async throws {
        try await oneLine("case") {
            let view = try await services.intake(as: [.caseworker]).case(CaseID(caseID))
            print("Case \(caseID): \(view.status.rawValue), stage \(view.stage.rawValue), programme \(view.programmeID)")
            print("  return to \(view.returnCity ?? "-"), \(view.returnCountry); "
                  + "\(view.travellers.count) travellers; eligible: \(view.eligibility?.eligible == true ? "yes" : "no")")
            printTimeline(view)
        }
    }
}

/// Prints a case's timeline as intake shows it.
func printTimeline(_ view: CaseView) {
    for entry in view.timeline {
        let at = Instant.format(entry.at).prefix(19).replacingOccurrences(of: "T", with: " ")
        print("  \(at)  \(entry.actor.padding(toLength: 17, withPad: " ", startingAt: 0)) \(entry.step): \(entry.outcome)")
    }
}

/// `homeward cases`: the case list with intake's filters.
struct CasesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cases", abstract: "List cases, newest first.")

    @Option(help: "active, not-eligible, withdrawn, revoked or closed.", transform: oneOf) var status: CaseStatus?
    @Option(help: "intake, screening, travel, departed, reintegration or closed.", transform: oneOf) var stage: CaseStage?
    @Option(help: "Country of return (ISO 3166-1 alpha-2).") var country: String?
    @Option(help: "Programme id.") var programme: String?
    @Option(help: "Cases whose target departure is before this instant (RFC 3339).", transform: { text in
        guard let instant = Instant.parse(text) else { throw ValidationError("--deadline-before takes an RFC 3339 instant") }
        return instant
    }) var deadlineBefore: Date?
    @Option(help: "At most this many (1–500).") var limit = 50
    @OptionGroup var services: ServiceURLs

    func run() async throws {
        try await oneLine("cases") {
            let list = try await services.intake(as: [.caseworker]).cases(status: status, stage: stage, returnCountry: country, programme: programme,
                                                                          deadlineBefore: deadlineBefore, limit: limit)
            print("\(list.total) cases\(list.cases.count < list.total ? ", showing \(list.cases.count)" : "")")
            for c in list.cases {
                print("  \(c.caseID.rawValue.padding(toLength: 18, withPad: " ", startingAt: 0)) "
                      + "\(c.status.rawValue.padding(toLength: 13, withPad: " ", startingAt: 0)) "
                      + "\(c.stage.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0)) "
                      + "\(c.returnCountry)  \(c.travellers) travellers  \(c.programmeID)")
            }
        }
    }
}

/// `homeward report 5w`: the 5W report in R4V's template, persons not services.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Reports.", subcommands: [FiveW.self])

    struct FiveW: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "5w",
            abstract: "The 5W report for a period of months in R4V's RMRP 5W template, as CSV (the template's header) or JSON.",
            discussion: "A report that breaks one of R4V's quality rules is refused, naming the row and the rule, and nothing is written.")

        @Option(help: "First month, YYYY-MM.") var from: String
        @Option(help: "Last month, YYYY-MM.") var to: String
        @Option(help: "csv or json.") var format = "csv"
        @Option(help: "Write the report to this file instead of printing it.") var output: String?
        @OptionGroup var services: ServiceURLs

        func run() async throws {
            try await oneLine("report 5w") {
                let text = try await services.intake(as: [.supervisor]).fiveW(from: from, to: to, format: format)
                guard let output else {
                    print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
                    return
                }
                do {
                    try Data(text.utf8).write(to: URL(fileURLWithPath: output))
                } catch {
                    throw CommandFailure(description: "cannot write \(output): \(error.localizedDescription)")
                }
                print("5W report \(from) to \(to) written to \(output)")
            }
        }
    }
}

/// One of a closed set of values, by its raw value; anything else is refused naming them all.
func oneOf<Value: RawRepresentable & CaseIterable>(_ text: String) throws -> Value where Value.RawValue == String {
    guard let value = Value(rawValue: text) else {
        throw ValidationError("'\(text)' is not one of \(Value.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    return value
}

/// `homeward counsel HW-… --mode in-person --language es --topic voluntariness …`: a
/// counselling session with the person, as the caseworker who held it (the token's subject).
struct CounselCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "counsel", abstract: "Record a counselling session on a case.")

    @Argument(help: "The case id (HW-…).") var caseID: String
    @Option(help: "in-person, phone or video.", transform: oneOf) var mode: CounsellingMode
    @Option(help: "The language of the session, a code (es, fr, pt-BR).") var language: String
    @Flag(help: "An interpreter took part.") var interpreter = false
    @Option(name: .customLong("topic"), help: "A topic covered; repeat for each: \(CounsellingTopic.allCases.map(\.rawValue).joined(separator: ", ")).",
            transform: oneOf) var topics: [CounsellingTopic] = []
    @Option(help: "\(CounsellingOutcome.allCases.map(\.rawValue).joined(separator: ", ")).", transform: oneOf) var outcome: CounsellingOutcome
    @Option(help: "When it was held (RFC 3339); default now.", transform: instant) var heldAt: Date?
    @Option(help: "The counsellor's notes (sealed at rest, erased with the case's personal data).") var notes: String?
    @OptionGroup var services: ServiceURLs

    func run() async throws {
        try await oneLine("counsel") {
            let view = try await services.intake(as: [.caseworker]).counselling(CaseID(caseID), CounsellingInput(
                heldAt: heldAt, mode: mode, language: language, interpreter: interpreter, topics: topics, outcome: outcome, notes: notes))
            print("Case \(caseID): \(view.counselling.count) counselling session\(view.counselling.count == 1 ? "" : "s") recorded")
        }
    }
}

/// An RFC 3339 instant option.
func instant(_ text: String) throws -> Date {
    guard let instant = Instant.parse(text) else { throw ValidationError("'\(text)' is not an RFC 3339 instant") }
    return instant
}

/// `homeward orient HW-… HW-…-T1 --language es --topic arrival-procedures …`: a traveller's
/// pre-departure orientation, as the caseworker who recorded it (the token's subject).
struct OrientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "orient", abstract: "Record a traveller's pre-departure orientation.")

    @Argument(help: "The case id (HW-…).") var caseID: String
    @Argument(help: "The traveller id (HW-…-T1).") var travellerID: String
    @Option(help: "The language of the session, a code (es, fr, pt-BR).") var language: String
    @Flag(help: "An interpreter took part.") var interpreter = false
    @Option(name: .customLong("topic"), help: "A topic covered; repeat for each: \(OrientationTopic.allCases.map(\.rawValue).joined(separator: ", ")).",
            transform: oneOf) var topics: [OrientationTopic] = []
    @Option(help: "When it was held (RFC 3339); default now.", transform: instant) var heldAt: Date?
    @OptionGroup var services: ServiceURLs

    func run() async throws {
        try await oneLine("orient") {
            let view = try await services.intake(as: [.caseworker]).orientation(CaseID(caseID), TravellerID(travellerID), OrientationInput(
                heldAt: heldAt, language: language, interpreter: interpreter, topics: topics))
            let oriented = view.travellers.filter { $0.orientation != nil }.count
            print("Case \(caseID): \(travellerID) oriented; \(oriented) of \(view.travellers.count) travellers oriented")
        }
    }
}
