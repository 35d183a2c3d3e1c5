import Foundation
import GRDB
import HomewardJourneys
import HomewardModel
import TestSupport
import Testing

/// docker-compose.yml proven without a Docker engine: each application service runs with
/// the command and environment compose gives it, the gateway with compose's nginx config,
/// against the embedded broker standing in for `kafka` plus `kafka-init`; then staff drive
/// the demo through the gateway's one port, and the staff and operators' commands on what it
/// left.
@Suite("The compose stack, run from docker-compose.yml", .serialized)
struct ComposeStackTests {
    struct Rendered: Decodable {
        struct Service: Decodable {
            let name: String
            let command: [String]
            let environment: [String: String]
        }
        struct Gateway: Decodable { let config: String }
        let services: [Service]
        let gateway: Gateway
    }

    @Test func theDemoRunsThroughTheGatewayOnServicesConfiguredAsComposeConfiguresThem() async throws {
        let nginx = try #require(["/usr/sbin/nginx", "/usr/bin/nginx"].first { FileManager.default.isExecutableFile(atPath: $0) },
                                 "nginx is installed (deploy/local/install-deps.sh)")
        let directory = try makeWorkDirectory("compose")
        let addressFile = directory.appendingPathComponent("broker.address")
        // homeward-broker creates every topic at 12 partitions, as kafka-init does.
        let broker = try ChildProcess("homeward-broker", arguments: ["--address-file", addressFile.path], environment: [:], logDirectory: directory)
        #expect(await eventually(timeout: .seconds(30)) { ((try? String(contentsOf: addressFile, encoding: .utf8)) ?? "").contains(":") })
        let bootstrap = try String(contentsOf: addressFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)

        // The operator's secrets: an office signing key with its JWKS, and each service's store key.
        let secrets = directory.appendingPathComponent("secrets")
        let keys = try ChildProcess("homeward", arguments: ["keys", "new", "--kid", "office-2026", "--out", secrets.path],
                                    environment: [:], logDirectory: directory)
        #expect(await keys.waitForExit() == 0, "\(keys.log)")
        let storeKeys = try ChildProcess("homeward", arguments: ["keys", "store", "--kid", "k2026", "--out", secrets.path],
                                         environment: [:], logDirectory: directory)
        #expect(await storeKeys.waitForExit() == 0, "\(storeKeys.log)")
        var storeKeyTexts: Set<String> = []
        for file in ["office-2026.pem"] + ServiceName.allCases.map({ "\($0.rawValue).store-keys" }) {
            let path = secrets.appendingPathComponent(file).path
            #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o600, "\(file) is its owner's only")
            if file.hasSuffix(".store-keys") { storeKeyTexts.insert(try String(contentsOfFile: path, encoding: .utf8)) }
        }
        #expect(storeKeyTexts.count == 4 && storeKeyTexts.allSatisfy { $0.hasPrefix("k2026:") }, "a key of its own for each service")
        let minted = try ChildProcess("homeward", arguments: ["token", "--signing-key", secrets.appendingPathComponent("office-2026.pem").path,
                                                             "--kid", "office-2026", "--subject", "compose-staff"]
                                      + ["caseworker", "health-officer", "movement-officer", "reintegration-officer", "supervisor"].flatMap { ["--role", $0] },
                                      environment: [:], logDirectory: directory)
        #expect(await minted.waitForExit() == 0, "\(minted.log)")
        let token = minted.log.trimmingCharacters(in: .whitespacesAndNewlines)
        // Four eyes: a plan is approved by another person than its author.
        let mintedSupervisor = try ChildProcess("homeward", arguments: ["token", "--signing-key", secrets.appendingPathComponent("office-2026.pem").path,
                                                                       "--kid", "office-2026", "--subject", "compose-supervisor", "--role", "supervisor"],
                                                environment: [:], logDirectory: directory)
        #expect(await mintedSupervisor.waitForExit() == 0, "\(mintedSupervisor.log)")
        let supervisorToken = mintedSupervisor.log.trimmingCharacters(in: .whitespacesAndNewlines)

        let names = ["intake", "health-screening", "travel-booking", "reintegration"]
        let ports = Dictionary(uniqueKeysWithValues: names.map { ($0, freePort()) })
        let gatewayPort = freePort()
        // The production override's TLS at the gateway, with a certificate of the office's own.
        let tlsPort = freePort()
        let certificate = secrets.appendingPathComponent("gateway-certificate.pem").path
        let (made, madeOutput) = try DeploymentFileTests.run("/usr/bin/openssl", [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost", "-keyout", secrets.appendingPathComponent("gateway-key.pem").path, "-out", certificate])
        try #require(made == 0, "\(madeOutput)")
        let (status, output) = try DeploymentFileTests.run(DeploymentFileTests.repository.appendingPathComponent("Tests/DeployTests/compose_to_local.py").path,
            [DeploymentFileTests.repository.path, "--broker", bootstrap, "--data", directory.path, "--gateway-port", String(gatewayPort),
             "--tls-port", String(tlsPort), "--env", "HOMEWARD_SECRETS=\(secrets.path)"]
            + names.flatMap { ["--port", "\($0)=\(ports[$0]!)"] }, python: true, separateErrors: true)
        try #require(status == 0, "\(output)")
        let rendered = try JSONDecoder().decode(Rendered.self, from: Data(output.utf8))
        #expect(rendered.services.map(\.name).sorted() == names.sorted(), "every application service of the compose file")

        var services: [ChildProcess] = []
        for service in rendered.services {
            #expect(service.environment["KAFKA_TOPIC_CREATE"] == "false", "compose leaves topic creation to kafka-init")
            #expect(service.environment["HOMEWARD_ENVIRONMENT"] == "production")
            #expect(service.environment["AUTH_JWKS_FILE"] == secrets.appendingPathComponent("jwks.json").path, "the secret, read from the host")
            #expect(service.environment["STORE_KEYS_FILE"] == secrets.appendingPathComponent("\(service.name).store-keys").path, "its own store keys")
            try FileManager.default.createDirectory(atPath: service.environment["DATA_DIRECTORY"]!, withIntermediateDirectories: true)
            // The demo flies its family in seconds on a flight a day ahead: travel booking takes the
            // journeys' schedule windows, as an operator running the demo on compose would set them.
            services.append(try ChildProcess(service.command[0], arguments: Array(service.command.dropFirst()),
                                             environment: service.environment.merging(Journeys.compressedSchedule) { $1 }, logDirectory: directory))
        }
        let gateway = Process()
        gateway.executableURL = URL(fileURLWithPath: nginx)
        let prefix = URL(fileURLWithPath: rendered.gateway.config).deletingLastPathComponent().path
        gateway.arguments = ["-p", prefix, "-c", rendered.gateway.config, "-e", "stderr", "-g", "daemon off;"]
        let gatewayLog = directory.appendingPathComponent("gateway.log")
        _ = FileManager.default.createFile(atPath: gatewayLog.path, contents: nil)
        let gatewayOutput = try FileHandle(forWritingTo: gatewayLog)
        gateway.standardOutput = gatewayOutput
        gateway.standardError = gatewayOutput
        try gateway.run()
        defer { if gateway.isRunning { kill(gateway.processIdentifier, SIGKILL) } }

        let through = "http://127.0.0.1:\(gatewayPort)"
        for name in names {
            let ready = await eventually(timeout: .seconds(90)) {
                (try? await HTTP.send("GET", URL(string: "\(through)/\(name)/health/ready")!).status) == 200
            }
            #expect(ready, "\(name) ready through the gateway; its log:\n\(services[names.firstIndex(of: name)!].log.suffix(2000))")
        }

        // Over HTTPS, a service answers through the gateway, which tells browsers to keep to
        // HTTPS; TLS below 1.2 is refused.
        let (secure, secureOutput) = try DeploymentFileTests.run("/usr/bin/curl", [
            "-sS", "-i", "--cacert", certificate, "https://localhost:\(tlsPort)/intake/health/ready"])
        #expect(secure == 0 && secureOutput.hasPrefix("HTTP/1.1 200") && secureOutput.contains("Strict-Transport-Security: max-age="), "\(secureOutput)")
        let (legacy, legacyOutput) = try DeploymentFileTests.run("/usr/bin/curl", [
            "-sS", "-o", "/dev/null", "--tls-max", "1.1", "--cacert", certificate, "https://localhost:\(tlsPort)/gateway/health"])
        #expect(legacy != 0 && legacyOutput.contains("alert protocol version"), "\(legacyOutput)")

        // Production trusts the office's key only: a development key's token is refused.
        #expect(try await HTTP.send("GET", URL(string: "\(through)/intake/cases")!).status == 401)

        // Staff reach every service through one port, with the office's token.
        let demo = try ChildProcess("homeward", arguments: ["demo", "--gateway", through], environment: ["HOMEWARD_TOKEN": token, "HOMEWARD_SUPERVISOR_TOKEN": supervisorToken],
                                  logDirectory: directory)
        #expect(await demo.waitForExit(timeout: .seconds(180)) == 0, "\(demo.log)")
        #expect(demo.log.contains("reintegration closed"))
        #expect(demo.log.contains("[4/4] single adult"), "\(demo.log)")
        for step in ["ready-for-screening", "cleared-with-requirements (wheelchair, non-medical-escort)", "booked", "pre-embarkation-check",
                     "departed", "arrived", "reintegration-opened", "plan-approved", "disbursed", "monitoring-recorded", "closed"] {
            #expect(demo.log.contains(step), "\(step) missing from the timeline")
        }
        let caseID = try #require(demo.log.matches(of: /→ case (HW-[0-9a-f]+)/).last.map { String($0.1) })
        let access = try String(contentsOf: gatewayLog, encoding: .utf8)
        #expect(access.contains("\"uri\":\"/travel-booking/cases/\(caseID)\""), "the gateway's access log shows the routed requests")

        // Staff and operators' commands against the same stack.
        func homeward(_ arguments: [String]) async throws -> (Int32, String) {
            let child = try ChildProcess("homeward", arguments: arguments, environment: ["HOMEWARD_GATEWAY": through, "HOMEWARD_TOKEN": token],
                                         logDirectory: directory)
            let status = await child.waitForExit(timeout: .seconds(60))
            return (status, child.log)
        }
        var (code, text) = try await homeward(["case", caseID])
        #expect(code == 0 && text.contains("Case \(caseID): closed, stage closed") && text.contains("reintegration-opened"), "\(text)")
        (code, text) = try await homeward(["cases", "--status", "closed"])
        #expect(code == 0 && text.hasPrefix("1 cases") && text.contains(caseID), "\(text)")
        let month = String(Instant.format(Date()).prefix(7))
        (code, text) = try await homeward(["report", "5w", "--from", month, "--to", month])
        #expect(code == 0 && text.hasPrefix("Country,Admin1,Admin2,Appealing organisation Name,")
                && text.contains("Colombia,Antioquia,Medellín,IOM,Direct,IOM,\(month),Humanitarian Transportation,"), "\(text)")
        (code, text) = try await homeward(["topics", "--bootstrap", bootstrap])
        #expect(code == 0 && text.split(separator: "\n").count == 17 && text.contains("homeward.intake.events")
                && text.contains("homeward.intake.changelog") && text.contains("homeward.reintegration.partners") && text.contains("12 partitions"), "\(text)")
        #expect(text.split(separator: "\n").contains { $0.contains("homeward.intake.owners") && $0.contains("1 partition") }, "\(text)")
        let intakeStores = try #require(rendered.services.first { $0.name == "intake" }?.environment["STORE_DIRECTORY"])
        let backup = directory.appendingPathComponent("intake-backup").path
        (code, text) = try await homeward(["backup", "intake", backup, "--store", intakeStores])
        #expect(code == 0 && text.hasPrefix("backed up intake: 13 stores"), "\(text)")
        var restored: [String] = []
        for file in StoreFiles.partitions(in: backup) {
            let copy = try DatabaseQueue(path: file)
            restored += try await copy.read { db in try String.fetchAll(db, sql: "SELECT status FROM intake_case WHERE case_id = ?", arguments: [caseID]) }
        }
        #expect(restored == ["closed"], "the case is in one partition store of the backup")

        // Erased after that backup, the person stays erased when it is restored as deploy/README
        // says (intake stopped, its store directory replaced whole): the erasure ledger is
        // outside the store directory, and intake erases again before it serves.
        let erasure = try await HTTP.send("POST", URL(string: "\(through)/intake/cases/\(caseID)/erasure")!, body: Data("{}".utf8),
                                          headers: ["Authorization": "Bearer \(supervisorToken)"])
        #expect(erasure.status == 200, "\(erasure.text)")
        let intakeIndex = try #require(rendered.services.firstIndex { $0.name == "intake" })
        await services[intakeIndex].stop()
        try FileManager.default.removeItem(atPath: intakeStores)
        try FileManager.default.copyItem(atPath: backup, toPath: intakeStores)
        let intake = rendered.services[intakeIndex]
        services[intakeIndex] = try ChildProcess(intake.command[0], arguments: Array(intake.command.dropFirst()),
                                                 environment: intake.environment.merging(Journeys.compressedSchedule) { $1 }, logDirectory: directory)
        #expect(await eventually(timeout: .seconds(90)) {
            (try? await HTTP.send("GET", URL(string: "\(through)/intake/health/ready")!).status) == 200
        }, "\(services[intakeIndex].log.suffix(2000))")
        let view = try await HTTP.send("GET", URL(string: "\(through)/intake/cases/\(caseID)")!, headers: ["Authorization": "Bearer \(token)"])
        let erased = try view.json()["erased"] as? Bool
        #expect(view.status == 200 && erased == true, "the restored case is erased again: \(view.text)")
        #expect(services[intakeIndex].log.contains("erasure ledger: 1 erased cases were back in the stores"), "\(services[intakeIndex].log.suffix(2000))")
        (code, text) = try await homeward(["case", "HW-nobody"])
        #expect(code == 1 && text.split(separator: "\n").count == 1 && text.contains("unknown-case"), "\(text)")

        for service in services {
            await service.stop()
            #expect(service.process.terminationStatus == 0, "\(service.name) drains and exits 0 on SIGTERM")
        }
        kill(gateway.processIdentifier, SIGQUIT)
        gateway.waitUntilExit()
        await broker.stop()
    }
}
