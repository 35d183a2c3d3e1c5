public import Foundation
public import HomewardAccess
public import HomewardJourneys

/// Access tokens for tests: the services under test trust one fixed development key.
public enum TestAccess {
    /// 32 fixed bytes; never a real key.
    public static let developmentKey = Data((0..<32).map { UInt8($0 &* 7 &+ 3) })

    /// What a service needs in its environment to trust ``developmentKey``.
    public static var environment: [String: String] { ["AUTH_DEV_KEY": developmentKey.base64EncodedString()] }

    /// ``developmentKey`` in a file, as `homeward up` keeps its own (`--dev-key`, `HOMEWARD_DEV_KEY_FILE`).
    public static let developmentKeyFile: String = {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("homeward-test-\(getpid()).key")
        _ = FileManager.default.createFile(atPath: file.path, contents: Data(developmentKey.base64EncodedString().utf8),
                                       attributes: [.posixPermissions: 0o600])
        return file.path
    }()

    /// Each desk's token, one role each, as the journeys need them.
    public static func staffCredentials() async throws -> StaffCredentials {
        func desk(_ role: Role) async throws -> String { "Bearer " + (try await token([role], subject: "journey-\(role.rawValue)")) }
        return StaffCredentials(caseworker: try await desk(.caseworker), healthOfficer: try await desk(.healthOfficer),
                                movementOfficer: try await desk(.movementOfficer), reintegrationOfficer: try await desk(.reintegrationOfficer),
                                supervisor: try await desk(.supervisor))
    }

    /// A token with `roles`, signed with the development key.
    public static func token(_ roles: [Role], subject: String = "test-staff", lifetime: TimeInterval = 3600, now: Date = Date(),
                             name: String? = nil) async throws -> String {
        try await AccessKeys.developmentToken(key: developmentKey, subject: subject, roles: roles, lifetime: lifetime, now: now, name: name)
    }

    /// `Authorization` for a caller holding every role: what most tests send, so that they
    /// exercise the service rather than its access rules (`AccessControlTests` does those).
    public static func everyRole() async throws -> String {
        "Bearer " + (try await allRoles.value)
    }

    private static let allRoles = Task { try await token(Role.allCases, subject: "test-staff") }
}
