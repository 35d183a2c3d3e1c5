import Foundation
import HomewardJourneys
import TestSupport
import Testing

/// The fault run's short version: `homeward fault-run` as an operator runs it, with fewer
/// cases and faults than the full command's defaults (2,000 cases, 30 kills), and every
/// service on two hosts (data directories of their own, the second a network namespace
/// when run as root), changelogs on: kills land on one host's replica while the other
/// host's goes on, and one host is lost whole mid-run and comes back empty, its
/// partitions restored from the changelogs.
@Suite("Fault run (short)", .serialized)
struct FaultRunTests {
    @Test func journeysSurviveKillsAnOutageRequestErrorsAndPoisonWithEveryCheckHolding() async throws {
        let directory = try makeWorkDirectory("fault-run")
        let run = try ChildProcess("homeward", arguments: [
            "fault-run", "--cases", "60", "--kills", "8", "--outages", "1", "--outage-seconds", "6", "--poison", "6",
            "--hosts", "2", "--host-losses", "1", "--port-base", String(freePortRun(4)), "--data", directory.appendingPathComponent("data").path,
        ] + (NetworkHosts.available ? ["--namespaces"] : []), environment: [:], logDirectory: directory)
        #expect(await run.waitForExit(timeout: .seconds(900)) == 0, "\(run.log.suffix(4000))")
        let log = run.log
        // The failed checks and journeys on one line, first: a CI log keeps only the first
        // line of each failure, and this one names what went wrong.
        let failures = log.split(separator: "\n").filter { $0.contains("FAIL ") || $0.hasPrefix("    journey ") }
            .map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " | ")
        #expect(failures.isEmpty, "\(log.suffix(3000))")
        #expect(log.contains("PASS  every journey ended as its script expects: 60 of 60"))
        #expect(log.contains("PASS  1 hosts lost during the run: 1"))
        #expect(log.contains("PASS  the dead-letter topics hold exactly the poison events: 6 poison events"))
        #expect(log.contains("faults: 8 SIGKILLs, 1 broker outages"))
        #expect(log.contains("all checks passed"))
    }
}
