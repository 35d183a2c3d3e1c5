import Foundation
import HomewardJourneys
import TestSupport
import Testing

/// The scripted cases, each driven over HTTP as staff would against the four real
/// services on the embedded broker, each checking at its end every service's view and
/// intake's timeline; then the CLI shows each case's timeline as staff read it.
@Suite("Case journeys end to end", .serialized, .journeyStack)
struct CaseJourneyTests {
    /// Those that run at any hour; the clearance lapse has its own suite (ClearanceLapseTests).
    static let journeys = Journeys.anyHour(seed: 7)

    @Test("each journey ends as its script expects in every service", arguments: journeys.indices)
    func journey(_ index: Int) async throws {
        try await run(Self.journeys[index])
    }

    func run(_ journey: Journey) async throws {
        let (cluster, services) = try #require(JourneyStack.current.map { ($0.cluster, $0.services) })
        let staff = Staff(intake: services[0].baseURL, health: services[1].baseURL, travel: services[2].baseURL, reintegration: services[3].baseURL,
                          credentials: try await TestAccess.staffCredentials())
        let result = try await journey.run(staff, progress: { _ in })
        #expect(!result.verified.isEmpty, "\(journey.title) checked its end state")

        // Staff read the same case through the CLI.
        let show = try ChildProcess("homeward", arguments: ["case", result.caseID, "--intake", services[0].baseURL.absoluteString],
                                    environment: [:], logDirectory: cluster.directory)
        #expect(await show.waitForExit() == 0)
        #expect(show.log.hasPrefix("Case \(result.caseID): "), "\(show.log)")
        #expect(show.log.contains("registered"), "the timeline starts at registration: \(show.log)")
    }
}

/// The four services on the embedded broker, started once for the suite and stopped after it.
final class JourneyStack: Sendable {
    @TaskLocal static var current: JourneyStack?
    let cluster: TestCluster
    let services: [ServiceProcess]

    init() async throws {
        cluster = try TestCluster("journeys")
        var services: [ServiceProcess] = []
        for name in ["intake", "health-screening", "travel-booking", "reintegration"] {
            services.append(try ServiceProcess(name, bootstrap: cluster.bootstrap, directory: cluster.directory, extra: Journeys.requiredEnvironment))
        }
        for service in services { try await service.waitUntilReady() }
        self.services = services
    }

    func stop() async {
        for service in services { await service.child.stop() }
    }
}

struct JourneyStackTrait: SuiteTrait, TestScoping {
    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let stack = try await JourneyStack()
        do {
            try await JourneyStack.$current.withValue(stack) { try await function() }
        } catch {
            await stack.stop()
            throw error
        }
        await stack.stop()
    }
}

extension Trait where Self == JourneyStackTrait {
    /// Runs the suite against one stack of the four services.
    static var journeyStack: Self { Self() }
}
