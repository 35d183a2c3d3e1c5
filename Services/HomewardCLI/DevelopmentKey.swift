import Foundation
import HomewardAccess
import HomewardJourneys
import HomewardStore

/// The local stack's token signing key: `homeward up` creates it once per data directory
/// (readable by its owner only) and hands it to the services as `AUTH_DEV_KEY`; the CLI
/// signs staff tokens with it. A production configuration refuses it.
enum DevelopmentKey {
    static let fileName = "auth-dev.key"

    /// The key in `directory`, created when missing.
    static func ensure(in directory: URL) throws -> Data {
        let file = directory.appendingPathComponent(fileName)
        if let key = try? read(file.path) { return key }
        let key = AccessKeys.generateDevelopmentKey()
        do {
            try SecretFile.create(atPath: file.path, contents: Data(key.base64EncodedString().utf8))
        } catch let error as SecretFileError where error.errno == EEXIST {
            return try read(file.path)   // made meanwhile by another command
        }
        return key
    }

    /// Where the CLI looks for it: `explicit` (`--dev-key`), else `$HOMEWARD_DEV_KEY_FILE`,
    /// else `data/auth-dev.key`, the default data directory of `homeward up`.
    static func path(explicit: String?) -> String {
        explicit ?? ProcessInfo.processInfo.environment["HOMEWARD_DEV_KEY_FILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "data/\(fileName)"
    }

    /// Who a token signed here speaks for, unless told: the login name.
    static var defaultSubject: String {
        ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "local-staff"
    }

    static func read(_ path: String) throws -> Data {
        let text = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let key = Data(base64Encoded: text) else { throw CommandFailure(description: "\(path) is not a development key") }
        return key
    }
}

extension LocalStack {
    /// Each desk's token, signed with this stack's development key.
    func staffCredentials() async throws -> StaffCredentials {
        let key = try DevelopmentKey.ensure(in: data)
        func desk(_ role: Role) async throws -> String {
            "Bearer " + (try await AccessKeys.developmentToken(key: key, subject: "journey-\(role.rawValue)", roles: [role]))
        }
        return StaffCredentials(caseworker: try await desk(.caseworker), healthOfficer: try await desk(.healthOfficer),
                                movementOfficer: try await desk(.movementOfficer), reintegrationOfficer: try await desk(.reintegrationOfficer),
                                supervisor: try await desk(.supervisor))
    }
}
