import Foundation
import TestSupport
import Testing

/// The four real services and the embedded broker, with `homeward demo` driving a family
/// through every stage as staff would, over the services' APIs.
@Suite("The demo journey", .serialized)
struct DemoJourneyTests {
    @Test func theDemoFamilyGoesFromReferralToClosure() async throws {
        let cluster = try TestCluster("demo")
        var services: [ServiceProcess] = []
        for name in ["intake", "health-screening", "travel-booking", "reintegration"] {
            services.append(try ServiceProcess(name, bootstrap: cluster.bootstrap, directory: cluster.directory))
        }
        for service in services { try await service.waitUntilReady() }
        let demo = try ChildProcess("homeward", arguments: [
            "demo", "--intake", services[0].baseURL.absoluteString, "--health", services[1].baseURL.absoluteString,
            "--travel", services[2].baseURL.absoluteString, "--reintegration", services[3].baseURL.absoluteString,
        ], environment: [:], logDirectory: cluster.directory)
        #expect(await demo.waitForExit(timeout: .seconds(120)) == 0, "\(demo.log)")
        let output = demo.log
        #expect(output.contains("15. reintegration closed"))
        for step in ["ready-for-screening", "cleared-with-requirements (wheelchair, non-medical-escort)", "booked", "pre-embarkation-check",
                     "departed", "arrived", "reintegration-opened", "plan-approved", "disbursed", "monitoring-recorded", "closed"] {
            #expect(output.contains(step), "\(step) missing from the timeline")
        }
        for service in services {
            await service.child.stop()
            #expect(service.child.process.terminationStatus == 0, "\(service.executable) stopped cleanly")
        }
    }

    @Test func aServiceThatIsDownIsOneClearLine() async throws {
        let directory = try makeWorkDirectory("demo-down")
        let demo = try ChildProcess("homeward", arguments: ["demo", "--intake", "http://127.0.0.1:\(freePort())"], environment: [:], logDirectory: directory)
        #expect(await demo.waitForExit() == 1)
        let lines = demo.log.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("homeward demo: intake is not answering at http://127.0.0.1:") == true)
    }
}
