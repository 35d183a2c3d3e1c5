import Foundation
import TestSupport
import Testing

/// The benchmark commands run once on a tiny input, so that they cannot break unnoticed.
/// Their figures are not looked at here: timings belong in BENCHMARKS.md.
@Suite("Benchmark commands (smoke)", .serialized)
struct BenchSmokeTests {
    @Test func theStageBenchRunsOncePerReplicaCount() async throws {
        let directory = try makeWorkDirectory("bench-smoke")
        let bench = try ChildProcess("homeward", arguments: [
            "bench", "--stage", "health-screening", "--replicas", "1,2", "--events", "300", "--restore",
            "--port-base", String(freePortRun(4)), "--data", directory.appendingPathComponent("data").path,
        ], environment: TestCluster.fastGroup, logDirectory: directory)
        #expect(await bench.waitForExit(timeout: .seconds(300)) == 0, "\(bench.log.suffix(3000))")
        #expect(bench.log.contains("== Single stage: health screening, 1 replica =="), "\(bench.log.suffix(2000))")
        #expect(bench.log.contains("== Single stage: health screening, 2 replicas =="))
        #expect(bench.log.contains("== Health screening by replicas (300 events, one data directory) =="))
        #expect(bench.log.contains("== Host lost: 2 replicas killed, data directory deleted, one replica restarted =="), "\(bench.log.suffix(2000))")
        #expect(bench.log.contains("changelog records of 300 cases"))
    }

    @Test func theWholeStackBenchRunsJourneys() async throws {
        let directory = try makeWorkDirectory("bench-stack")
        let bench = try ChildProcess("homeward", arguments: [
            "bench", "--cases", "2", "--concurrency", "2", "--port-base", String(freePortRun(4)), "--data", directory.appendingPathComponent("data").path,
        ], environment: [:], logDirectory: directory)
        #expect(await bench.waitForExit(timeout: .seconds(300)) == 0, "\(bench.log.suffix(3000))")
        #expect(bench.log.contains("2 cases in") && bench.log.contains("; 0 failed"), "\(bench.log.suffix(2000))")
        #expect(bench.log.contains("== HTTP latency per endpoint"))
        #expect(bench.log.contains("CPU per journey") && bench.log.contains("of which idle work"), "\(bench.log.suffix(1000))")
    }

    @Test func theFailoverBenchLosesOneOfTwoHosts() async throws {
        let directory = try makeWorkDirectory("bench-failover")
        let bench = try ChildProcess("homeward", arguments: [
            "bench", "--stage", "health-screening", "--replicas", "2", "--events", "200", "--failover", "1",
            "--port-base", String(freePortRun(4)), "--data", directory.appendingPathComponent("data").path,
        ], environment: TestCluster.fastGroup, logDirectory: directory)
        #expect(await bench.waitForExit(timeout: .seconds(300)) == 0, "\(bench.log.suffix(3000))")
        #expect(bench.log.contains("== One host of 2 lost: replica 1 killed, its data directory deleted, 1 standby copy per partition =="), "\(bench.log.suffix(2000))")
        #expect(bench.log.contains("failover: "))
    }

    @Test func theProbeStageBenchRuns() async throws {
        let directory = try makeWorkDirectory("bench-probe")
        let bench = try ChildProcess("homeward-bench", arguments: ["stage", "--events", "200", "--cases", "20", "--partitions", "4"],
                                     environment: [:], logDirectory: directory)
        #expect(await bench.waitForExit(timeout: .seconds(180)) == 0, "\(bench.log.suffix(3000))")
        #expect(bench.log.contains("stage applied 200 events and the broker acknowledged 200 outputs"), "\(bench.log.suffix(2000))")
    }

    @Test func theProbeStageBenchCountsInstructionsUnderCallgrind() async throws {
        let directory = try makeWorkDirectory("bench-callgrind")
        let dumps = directory.appendingPathComponent("callgrind")
        let bench = try ChildProcess("homeward-bench", arguments: [
            "stage", "--events", "40", "--cases", "4", "--partitions", "2", "--callgrind", dumps.path,
        ], environment: [:], logDirectory: directory)
        #expect(await bench.waitForExit(timeout: .seconds(600)) == 0, "\(bench.log.suffix(3000))")
        #expect(bench.log.contains("instructions per event in the steady state (callgrind): "), "\(bench.log.suffix(2000))")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dumps.path).contains { $0.hasPrefix("stage-probe.") })
    }

    @Test func theIntakeSearchBenchRuns() async throws {
        let directory = try makeWorkDirectory("bench-search")
        let bench = try ChildProcess("homeward-bench", arguments: ["intake-search", "--cases", "20", "--repeats", "2"],
                                     environment: [:], logDirectory: directory)
        #expect(await bench.waitForExit(timeout: .seconds(180)) == 0, "\(bench.log.suffix(3000))")
    }
}
