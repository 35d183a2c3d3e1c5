import Foundation
import HomewardJourneys
import TestSupport
import Testing

/// The fault run's short version: `homeward fault-run` as an operator runs it, with fewer
/// cases and faults than the full command's defaults (2,000 cases, 30 kills), and every service
/// twice on one data directory, so that kills land on one replica of a stage while the
/// other goes on; with the stores' changelogs on, so that an owner killed between the
/// broker's acknowledgement and its marks is taken over as well. (`--hosts 2` is not run
/// here: it still fails after broker outages, see deploy/README.md.)
@Suite("Fault run (short)", .serialized)
struct FaultRunTests {
    @Test func journeysSurviveKillsAnOutageRequestErrorsAndPoisonWithEveryCheckHolding() async throws {
        let directory = try makeWorkDirectory("fault-run")
        let run = try ChildProcess("homeward", arguments: [
            "fault-run", "--cases", "100", "--kills", "8", "--outages", "1", "--outage-seconds", "6", "--poison", "6", "--replicas", "2",
            "--port-base", String(freePortRun(4)), "--data", directory.appendingPathComponent("data").path,
        ], environment: ["STORE_CHANGELOG": "true"], logDirectory: directory)
        #expect(await run.waitForExit(timeout: .seconds(900)) == 0, "\(run.log.suffix(4000))")
        let log = run.log
        #expect(log.contains("PASS  every journey ended as its script expects: 100 of 100"), "\(log.suffix(3000))")
        #expect(log.contains("PASS  the dead-letter topics hold exactly the poison events: 6 poison events"))
        #expect(log.contains("faults: 8 SIGKILLs, 1 broker outages"))
        #expect(log.contains("all checks passed"))
    }
}
