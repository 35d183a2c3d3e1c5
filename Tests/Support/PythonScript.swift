public import Foundation
import HomewardJourneys

/// The repository's root, found from this file's path.
public let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Runs one of the repository's Python scripts (a path from its root) to its end: its exit
/// status and its combined output.
public func runPython(_ script: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    try runTool(["python3", repositoryRoot.appendingPathComponent(script).path] + arguments)
}

/// Runs a command (found on the PATH, or a path) from the repository's root to its end: its
/// exit status and its combined output.
public func runTool(_ command: [String]) throws -> (status: Int32, output: String) {
    try Process.runToEnd(command, in: repositoryRoot)
}

/// `Tests/openapi_check.py` on one service: its document is valid OpenAPI and documents
/// exactly the routes its controllers register.
public func checkOpenAPIDocument(of service: String) throws -> (status: Int32, output: String) {
    try runPython("Tests/openapi_check.py", [repositoryRoot.path, service])
}

/// `Tests/ContractTests/validate_events.py` on events as a service published them: each
/// valid against the catalogue's envelope and data schemas.
public func checkAgainstEventSchemas(_ events: [Data]) throws -> (status: Int32, output: String) {
    let directory = try makeWorkDirectory("published")
    for (index, event) in events.enumerated() { try event.write(to: directory.appendingPathComponent("event-\(index).json")) }
    return try runPython("Tests/ContractTests/validate_events.py",
                         [directory.path, repositoryRoot.appendingPathComponent("Shared/Model/Catalogue/schemas").path, "--no-coverage"])
}
