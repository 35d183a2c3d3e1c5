import Foundation
import Testing

/// The compose files and the operators' documentation, checked without a Docker engine.
@Suite("Deployment files")
struct DeploymentFileTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func python(_ script: String, _ arguments: [String]) throws -> (Int32, String) {
        try Self.run(Self.repository.appendingPathComponent("Tests/DeployTests/\(script)").path, arguments, python: true)
    }

    /// Runs a program (or a Python script) to its end; returns its status and output.
    static func run(_ program: String, _ arguments: [String], python: Bool = false, separateErrors: Bool = false) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python ? "/usr/bin/env" : program)
        process.arguments = python ? ["python3", program] + arguments : arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = separateErrors ? FileHandle.standardError : pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    @Test("docker-compose.yml, the production override and the override for one host of several are valid Compose files that follow our rules")
    func composeFilesValidate() throws {
        let schema = Self.repository.appendingPathComponent("Tests/DeployTests/compose-spec.json")
        try #require(FileManager.default.fileExists(atPath: schema.path), "the compose schema is kept in the repository")
        let (status, output) = try python("validate_compose.py", [Self.repository.path, schema.path])
        #expect(status == 0, "\(output)")
    }

    @Test("deploy/README.md documents exactly the environment variables the code reads")
    func environmentTableMatchesTheCode() throws {
        let (status, output) = try python("check_env_table.py", [Self.repository.path])
        #expect(status == 0, "\(output)")
    }
}
