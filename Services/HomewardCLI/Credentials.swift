import ArgumentParser
import Foundation
import HomewardAccess
import HomewardJourneys

/// How a staff command proves who it is: a token from the office's identity provider
/// (`--token`, `$HOMEWARD_TOKEN`), or on the local stack one signed for the roles the
/// command needs with the development key that `homeward up` keeps in its data directory.
struct Credentials: ParsableArguments {
    @Option(help: "An access token (JWT) to send (default: $HOMEWARD_TOKEN).")
    var token: String?
    @Option(help: "The local stack's development key, to sign a token with (default: $HOMEWARD_DEV_KEY_FILE, else data/auth-dev.key).")
    var devKey: String?

    /// `Bearer …` for a caller with `roles`, or nil when there is neither a token nor a key
    /// (the service then answers 401, which the command reports).
    func authorization(roles: [Role]) async throws -> String? {
        let environment = ProcessInfo.processInfo.environment
        if let token = token ?? environment["HOMEWARD_TOKEN"].flatMap({ $0.isEmpty ? nil : $0 }) { return "Bearer " + token }
        let path = devKey ?? environment["HOMEWARD_DEV_KEY_FILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "data/\(DevelopmentKey.fileName)"
        guard FileManager.default.fileExists(atPath: path) else {
            if devKey != nil { throw ServiceClient.Failure(description: "no development key at \(path)") }
            return nil
        }
        let subject = environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "local-staff"
        return "Bearer " + (try await AccessKeys.developmentToken(key: try DevelopmentKey.read(path), subject: subject, roles: roles))
    }
}

extension Credentials {
    /// The desks the journeys work at, each with its own role.
    func staff() async throws -> StaffCredentials {
        StaffCredentials(caseworker: try await authorization(roles: [.caseworker]),
                         healthOfficer: try await authorization(roles: [.healthOfficer]),
                         movementOfficer: try await authorization(roles: [.movementOfficer]),
                         reintegrationOfficer: try await authorization(roles: [.reintegrationOfficer]),
                         supervisor: try await authorization(roles: [.supervisor]))
    }
}

/// `homeward token`: prints a token signed with the local stack's development key, for
/// curl or another tool (`Authorization: Bearer $(homeward token --role caseworker)`).
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Print a development access token for the local stack.",
        discussion: "Signed with the development key of `homeward up` (data/auth-dev.key). A production service refuses it: there, tokens come from the office's identity provider.")

    @Option(name: .customLong("role"), help: "A role to grant (repeatable): \(Role.allCases.map(\.rawValue).joined(separator: ", ")).")
    var roles: [String] = []
    @Option(help: "The subject: who the token speaks for (default: $USER).") var subject: String?
    @Option(help: "Lifetime in minutes.") var minutes = 60
    @Option(help: "The development key (default: $HOMEWARD_DEV_KEY_FILE, else data/auth-dev.key).") var devKey: String?

    func run() async throws {
        guard !roles.isEmpty else { throw ValidationError("name at least one --role") }
        let granted = try roles.map { name in
            guard let role = Role(rawValue: name) else { throw ValidationError("unknown role '\(name)'; one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))") }
            return role
        }
        let environment = ProcessInfo.processInfo.environment
        let path = devKey ?? environment["HOMEWARD_DEV_KEY_FILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "data/\(DevelopmentKey.fileName)"
        guard FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("no development key at \(path): start the local stack with `homeward up` first")
        }
        let who = subject ?? environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "local-staff"
        print(try await AccessKeys.developmentToken(key: try DevelopmentKey.read(path), subject: who, roles: granted, lifetime: TimeInterval(minutes * 60)))
    }
}
