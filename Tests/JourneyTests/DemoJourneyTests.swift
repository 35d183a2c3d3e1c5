import Foundation
import GRDB
import HomewardModel
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
        #expect(output.contains("[4/4] single adult") && output.contains("reintegration closed as completed"), "\(output)")
        for step in ["ready-for-screening", "cleared-with-requirements (wheelchair, non-medical-escort)", "booked", "pre-embarkation-check",
                     "departed", "arrived", "reintegration-opened", "plan-approved", "disbursed", "monitoring-recorded", "closed"] {
            #expect(output.contains(step), "\(step) missing from the timeline")
        }

        // Staff and operators' commands against the same stack.
        let caseID = try #require(output.matches(of: /→ case (HW-[0-9a-f]+)/).last.map { String($0.1) })
        func homeward(_ arguments: [String]) async throws -> (Int32, String) {
            let child = try ChildProcess("homeward", arguments: arguments, environment: [:], logDirectory: cluster.directory)
            let status = await child.waitForExit(timeout: .seconds(60))
            return (status, child.log)
        }
        let intake = ["--intake", services[0].baseURL.absoluteString]
        var (status, text) = try await homeward(["case", caseID] + intake)
        #expect(status == 0 && text.contains("Case \(caseID): closed, stage closed") && text.contains("reintegration-opened"), "\(text)")
        (status, text) = try await homeward(["cases", "--status", "closed"] + intake)
        #expect(status == 0 && text.hasPrefix("1 cases") && text.contains(caseID), "\(text)")
        let month = String(Instant.format(Date()).prefix(7))
        (status, text) = try await homeward(["report", "5w", "--from", month, "--to", month] + intake)
        #expect(status == 0 && text.hasPrefix("organisation,population_type,period") && text.contains("Humanitarian Transportation,CO,female,60+,1"), "\(text)")
        (status, text) = try await homeward(["topics", "--bootstrap", cluster.bootstrap])
        #expect(status == 0 && text.split(separator: "\n").count == 16 && text.contains("homeward.intake.events")
                && text.contains("homeward.intake.changelog") && text.contains("4 partitions"), "\(text)")
        #expect(text.split(separator: "\n").contains { $0.contains("homeward.intake.owners") && $0.contains("1 partition") }, "\(text)")
        let backup = cluster.directory.appendingPathComponent("intake-backup").path
        (status, text) = try await homeward(["backup", "intake", backup, "--store", services[0].storeDirectory])
        #expect(status == 0 && text.hasPrefix("backed up intake: 5 stores"), "\(text)")
        var restored: [String] = []
        for file in StoreFiles.partitions(in: backup) {
            let copy = try DatabaseQueue(path: file)
            restored += try await copy.read { db in try String.fetchAll(db, sql: "SELECT status FROM intake_case WHERE case_id = ?", arguments: [caseID]) }
        }
        #expect(restored == ["closed"], "the case is in one partition store of the backup")
        (status, text) = try await homeward(["case", "HW-nobody"] + intake)
        #expect(status == 1 && text.split(separator: "\n").count == 1 && text.contains("unknown-case"), "\(text)")

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

        let topics = try ChildProcess("homeward", arguments: ["topics", "--address-file", directory.appendingPathComponent("none").path],
                                      environment: ["KAFKA_BOOTSTRAP_SERVERS": ""], logDirectory: directory)
        #expect(await topics.waitForExit() == 1)
        #expect(topics.log.split(separator: "\n") == ["homeward: no broker: give --bootstrap, set KAFKA_BOOTSTRAP_SERVERS, or start the local stack (make run)"])
    }
}
