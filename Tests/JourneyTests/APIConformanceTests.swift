import Foundation
import TestSupport
import Testing

/// The four real services against their own OpenAPI documents: a short Schemathesis run
/// (Tests/Schemathesis/run.py, the command the README documents) finds no server error and
/// no answer the documents do not allow; and what lies outside the documents' operations
/// is answered with problem documents too.
@Suite("API conformance (Schemathesis)", .serialized)
struct APIConformanceTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let names = ["intake", "health-screening", "travel-booking", "reintegration"]

    static func startServices(_ names: [String] = names) async throws -> (TestCluster, [ServiceProcess]) {
        let cluster = try TestCluster("conformance")
        let services = try names.map { try ServiceProcess($0, bootstrap: cluster.bootstrap, directory: cluster.directory) }
        for service in services { try await service.waitUntilReady() }
        return (cluster, services)
    }

    @Test("a short Schemathesis run finds nothing in any of the four services")
    func schemathesisShortRun() async throws {
        let (cluster, services) = try await Self.startServices()
        let flags = ["--intake", "--health", "--travel", "--reintegration"]
        var arguments = [Self.repository.appendingPathComponent("Tests/Schemathesis/run.py").path,
                         "--max-examples", "8", "--seed", "20261122",
                         "--token", String(try await TestAccess.everyRole().dropFirst("Bearer ".count))]
        for (flag, service) in zip(flags, services) { arguments += [flag, service.baseURL.absoluteString] }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        process.currentDirectoryURL = cluster.directory
        let output = cluster.directory.appendingPathComponent("schemathesis.log")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let log = try FileHandle(forWritingTo: output)
        process.standardOutput = log
        process.standardError = log
        try process.run()
        // A guard against a hang, not a timing: a slow CI machine has taken 240 s.
        let finished = await eventually(timeout: .seconds(900), every: .milliseconds(250)) { !process.isRunning }
        if !finished { process.terminate() }
        process.waitUntilExit()
        try log.close()
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        #expect(finished, "the run took over 900 s")
        #expect(process.terminationStatus == 0, "\(text.suffix(12_000))")
        for name in Self.names {
            #expect(text.contains("  \(name.padding(toLength: 17, withPad: " ", startingAt: 0)) pass: "), "\(name) passed: \(text.suffix(2_000))")
        }
        for service in services {
            #expect(service.child.isRunning, "\(service.executable) still runs")
            await service.child.stop()
        }
    }

    @Test("unknown paths, unsupported methods, odd instants and huge numbers get problem documents")
    func answersOutsideTheOperations() async throws {
        let (_, services) = try await Self.startServices(["intake", "reintegration"])
        let intake = services[0].baseURL, reintegration = services[1].baseURL

        let unknown = try await HTTP.send("GET", intake.appendingPathComponent("nowhere"))
        #expect(unknown.status == 404)
        #expect(unknown.headers["content-type"] == "application/problem+json")
        #expect(try unknown.json()["rule"] as? String == "unknown-path")

        let wrongMethod = try await HTTP.send("DELETE", intake.appendingPathComponent("cases/HW-nobody"))
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.headers["allow"] == "GET, HEAD, OPTIONS, PATCH")
        #expect(try wrongMethod.json()["rule"] as? String == "method-not-allowed")
        let options = try await HTTP.send("OPTIONS", intake.appendingPathComponent("cases"))
        #expect(options.status == 204)
        #expect(options.headers["allow"] == "GET, HEAD, OPTIONS, POST")
        #expect(try await HTTP.send("HEAD", intake.appendingPathComponent("health/live")).status == 200)

        // An impossible day is refused whatever the offset; an offset of +23:59 is RFC 3339.
        func declare(_ instant: String) async throws -> HTTP.Reply {
            let body = try JSONSerialization.data(withJSONObject: ["declaredAt": instant])
            return try await HTTP.send("POST", intake.appendingPathComponent("cases/HW-nobody/declaration"), body: body)
        }
        let impossible = try await declare("2026-02-30T10:00:00+01:00")
        #expect(impossible.status == 422)
        #expect(try impossible.json()["field"] as? String == "/declaredAt")
        #expect(try await declare("2026-02-28T10:00:00+23:59").status == 404, "a valid instant reaches the case lookup")

        let body = Data(#"{"visitedAt": "2026-11-22T10:00:00Z", "answers": {"food-security": 99999999999999999999999}}"#.utf8)
        let huge = try await HTTP.send("POST", reintegration.appendingPathComponent("cases/HW-nobody/visits"), body: body)
        #expect(huge.status == 422, "\(huge.text)")
        #expect(try huge.json()["rule"] as? String == "number-out-of-range")
        #expect(try huge.json()["field"] as? String == "/answers/food-security")

        for service in services { await service.child.stop() }
    }
}
