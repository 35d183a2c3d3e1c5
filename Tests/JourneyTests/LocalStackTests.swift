import Foundation
import TestSupport
import Testing

/// `homeward up` as a first-time user runs it: the embedded broker and the four services
/// as children, the demo, a clean stop, a resume, and the refusals that protect the stores.
@Suite("The local stack (homeward up)", .serialized)
struct LocalStackTests {
    @Test func upRunsTheDemoStopsCleanlyResumesAndRefusesWhatWouldCorruptTheStores() async throws {
        let directory = try makeWorkDirectory("up")
        let data = directory.appendingPathComponent("data").path
        let base = freePortRun(4)
        func up(_ extra: [String] = []) throws -> ChildProcess {
            try ChildProcess("homeward", arguments: ["up", "--data", data, "--port-base", String(base)] + extra,
                             environment: TestCluster.fastGroup, logDirectory: directory)
        }

        // First run, with the demo.
        let first = try up(["--demo"])
        #expect(await eventually(timeout: .seconds(240)) { first.log.contains("The timeline of case") || !first.isRunning }, "\(first.log.suffix(3000))")
        let log = first.log
        #expect(log.contains("Homeward is running on the embedded broker"))
        for prefix in ["[broker]", "[intake]", "[health-screening]", "[travel-booking]", "[reintegration]"] {
            #expect(log.split(separator: "\n").contains { $0.hasPrefix(prefix + " ") }, "\(prefix) lines")
        }
        let caseID = try #require(log.matches(of: /→ case (HW-[0-9a-f]+)/).last.map { String($0.1) })

        // A second up on the same data directory refuses while the first runs.
        let second = try up()
        #expect(await second.waitForExit() == 1)
        #expect(second.log.split(separator: "\n") == ["homeward up: another homeward up is running on \(data) (pid \(first.pid)); stop it first, or use another --data"])

        // homeward lag reads the groups' positions from the running broker; offsets are
        // committed every second, so the groups catch up to zero shortly after the demo.
        var lagLog = ""
        let caughtUp = await eventually(timeout: .seconds(60), every: .milliseconds(500)) {
            guard let lag = try? ChildProcess("homeward", arguments: ["lag", "--address-file", "\(data)/broker.address"], environment: [:], logDirectory: directory),
                  await lag.waitForExit() == 0 else { return false }
            lagLog = lag.log
            return ["intake", "health-screening", "travel-booking", "reintegration"].allSatisfy { lagLog.contains("homeward.\($0): 0 behind in total") }
        }
        #expect(caughtUp, "\(lagLog)")
        #expect(lagLog.contains("homeward.travel-booking       homeward.health-screening.events"), "\(lagLog)")

        // SIGTERM: services first, then the broker; a clean stop is recorded.
        first.signal(SIGTERM)
        #expect(await first.waitForExit(timeout: .seconds(60)) == 0)
        #expect(first.log.contains("stopped cleanly"), "\(first.log.suffix(2000))")
        #expect(try String(contentsOfFile: "\(data)/homeward-up.state", encoding: .utf8).hasSuffix("in-flight 0\n"))
        #expect(Self.processes(using: data).isEmpty, "no child outlives up")

        // Resume: the stores are as they were, read with a token signed by the key up made.
        let resumed = try up()
        #expect(await eventually(timeout: .seconds(120)) { resumed.log.contains("Homeward is running") })
        let mint = try ChildProcess("homeward", arguments: ["token", "--role", "caseworker", "--dev-key", "\(data)/auth-dev.key"],
                                    environment: [:], logDirectory: directory)
        #expect(await mint.waitForExit() == 0)
        let token = mint.log.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try FileManager.default.attributesOfItem(atPath: "\(data)/auth-dev.key")[.posixPermissions] as? Int == 0o600, "the key is its owner's alone")
        #expect(try await HTTP.send("GET", URL(string: "http://127.0.0.1:\(base)/cases/\(caseID)")!).status == 401, "the tests' key is not this stack's")
        let view = try await HTTP.send("GET", URL(string: "http://127.0.0.1:\(base)/cases/\(caseID)")!, headers: ["Authorization": "Bearer \(token)"]).json()
        #expect(view["status"] as? String == "closed")

        // up itself killed: its state says running, so the next up refuses…
        resumed.signal(SIGKILL)
        _ = await resumed.waitForExit()
        for pid in Self.processes(using: data) { kill(pid, SIGKILL) }  // its orphans, as an operator would
        let refused = try up()
        #expect(await refused.waitForExit() == 1)
        #expect(refused.log.hasPrefix("homeward up: refusing to start: the last homeward up here ("), "\(refused.log)")
        #expect(refused.log.contains("did not stop cleanly, and the embedded broker keeps nothing across restarts"))

        // …unless the operator accepts the loss.
        let accepted = try up(["--discard-in-flight"])
        #expect(await eventually(timeout: .seconds(120)) { accepted.log.contains("Homeward is running") }, "\(accepted.log.suffix(2000))")
        #expect(accepted.log.contains("starting despite: the last homeward up here"))
        accepted.signal(SIGINT)
        #expect(await accepted.waitForExit(timeout: .seconds(60)) == 0)
    }

    /// Processes started for this data directory: the services carry it in their
    /// environment, the broker in its arguments.
    static func processes(using data: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard pid != getpid() else { return false }
            let environ = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/environ"))) ?? Data()
            let cmdline = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))) ?? Data()
            let words = (environ + [0] + cmdline).split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return words.contains("DATA_DIRECTORY=\(data)") || (words.contains("\(data)/broker.address") && !words.contains("up"))
        }
    }
}
