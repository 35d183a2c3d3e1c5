import ArgumentParser
import Foundation
import HomewardClient
import HomewardJourneys
import HomewardModel

/// `homeward demo`: a handful of realistic cases worked as staff would over the four
/// services' APIs, with each step shown as it happens, then every case's timeline as
/// intake shows it.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Drive demo cases through intake, health screening, travel and reintegration.",
        discussion: "A family with a wheelchair requirement, a withdrawal after booking, a hold then clearance and rebooking, and a single adult from referral to closure.")

    @OptionGroup var services: ServiceURLs

    func run() async throws {
        try await oneLine("demo") { try await Self.run(services: services) }
    }

    /// The cases the demo drives, in order.
    static let cases: [Journey] = [
        .familyWithNeeds(seed: 0), .withdrawalAfterBooking(seed: 0), .holdAndRebook(seed: 0), .singleAdult(seed: 0),
    ]

    static func run(services: ServiceURLs) async throws {
        // One quick look first: a stack that is not running is one line, not minutes of retries.
        for service in ServiceName.allCases { _ = try await services.api(service).send("GET", "health/ready", data: nil, expect: [200]) }
        let staff = try await Staff(intake: services.base(.intake), health: services.base(.healthScreening),
                                    travel: services.base(.travelBooking), reintegration: services.base(.reintegration),
                                    credentials: services.credentials.staff())
            .withStackClock()
        var results: [(String, JourneyResult)] = []
        for (n, journey) in cases.enumerated() {
            show("\n[\(n + 1)/\(cases.count)] \(journey.title)")
            let result = try await journey.run(staff) { line in show("    " + line) }
            show("    → case \(result.caseID): \(result.verified.count) checks held in every service")
            results.append((journey.title, result))
        }
        for (title, result) in results {
            let view = try await services.intake(as: [.caseworker]).case(CaseID(result.caseID))
            show("\nThe timeline of case \(result.caseID) (\(title)): \(view.status.rawValue), stage \(view.stage.rawValue)")
            printTimeline(view)
        }
        fflush(nil)
    }

    /// One line at once, also through a pipe: the progress display.
    static func show(_ line: String) {
        print(line)
        fflush(nil)
    }
}
