import ArgumentParser
import Foundation
import HomewardAccess
import HomewardJourneys
import HomewardModel
import HomewardStore

/// How a staff command proves who it is: a token from the office's identity provider
/// (`--token`, `$HOMEWARD_TOKEN`), or on the local stack one signed for the roles the
/// command needs with the development key that `homeward up` keeps in its data directory.
struct Credentials: ParsableArguments {
    @Option(help: "An access token (JWT) to send (default: $HOMEWARD_TOKEN).")
    var token: String?
    @Option(help: "The local stack's development key, to sign a token with (default: $HOMEWARD_DEV_KEY_FILE, else data/auth-dev.key).")
    var devKey: String?
    @Option(help: "Another person's token with the supervisor role, for the approvals of commands that work whole cases with --token (default: $HOMEWARD_SUPERVISOR_TOKEN): four eyes refuse a plan's approval by its author.")
    var supervisorToken: String?

    /// `Bearer …` for a caller with `roles`, or nil when there is neither a token nor a key
    /// (the service then answers 401, which the command reports). A token signed here speaks
    /// for `subject`, by default the login name.
    func authorization(roles: [Role], subject: String = DevelopmentKey.defaultSubject) async throws -> String? {
        let environment = ProcessInfo.processInfo.environment
        if let token = token ?? environment["HOMEWARD_TOKEN"].flatMap({ $0.isEmpty ? nil : $0 }) { return "Bearer " + token }
        let path = DevelopmentKey.path(explicit: devKey)
        guard FileManager.default.fileExists(atPath: path) else {
            if devKey != nil { throw CommandFailure(description: "no development key at \(path)") }
            return nil
        }
        return "Bearer " + (try await AccessKeys.developmentToken(key: try DevelopmentKey.read(path), subject: subject, roles: roles))
    }
}

extension Credentials {
    /// The desks the journeys work at, each with its own role and, when signed here, its own
    /// person (`$USER-supervisor`…), so that four eyes see two people.
    func staff() async throws -> StaffCredentials {
        let environment = ProcessInfo.processInfo.environment
        if let token = token ?? environment["HOMEWARD_TOKEN"].flatMap({ $0.isEmpty ? nil : $0 }) {
            guard let approver = supervisorToken ?? environment["HOMEWARD_SUPERVISOR_TOKEN"].flatMap({ $0.isEmpty ? nil : $0 }) else {
                throw CommandFailure(description: "a plan is approved by another person than its author (four eyes): give --supervisor-token or $HOMEWARD_SUPERVISOR_TOKEN, a second person's token with the supervisor role")
            }
            let (desk, supervisor) = ("Bearer " + token, "Bearer " + approver)
            return StaffCredentials(caseworker: desk, healthOfficer: desk, movementOfficer: desk, reintegrationOfficer: desk, supervisor: supervisor)
        }
        func desk(_ role: Role) async throws -> String? {
            try await authorization(roles: [role], subject: "\(DevelopmentKey.defaultSubject)-\(role.rawValue)")
        }
        return StaffCredentials(caseworker: try await desk(.caseworker), healthOfficer: try await desk(.healthOfficer),
                                movementOfficer: try await desk(.movementOfficer), reintegrationOfficer: try await desk(.reintegrationOfficer),
                                supervisor: try await desk(.supervisor))
    }
}

/// `homeward token`: prints a staff token for curl or another tool
/// (`Authorization: Bearer $(homeward token --role caseworker)`), signed with the local
/// stack's development key, or with an office signing key (`homeward keys new`).
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Print a development access token for the local stack.",
        discussion: "By default signed with the development key of `homeward up` (data/auth-dev.key), which a production service refuses. With --signing-key and --kid, signed with an office key whose public half is in the services' AUTH_JWKS_FILE.")

    @Option(name: .customLong("role"), help: "A role to grant (repeatable): \(Role.allCases.map(\.rawValue).joined(separator: ", ")).")
    var roles: [String] = []
    @Option(help: "The subject: who the token speaks for, and whom the services record as acting (default: $USER, else local-staff).") var subject: String?
    @Option(help: "The person's display name (claim `name`), recorded beside the subject in the audit trail; never compared.") var name: String?
    @Option(help: "Lifetime in minutes.") var minutes = 60
    @Option(help: "The development key (default: $HOMEWARD_DEV_KEY_FILE, else data/auth-dev.key).") var devKey: String?
    @Option(help: "An ES256 private key (PEM) from `homeward keys new`, instead of the development key.") var signingKey: String?
    @Option(help: "The key id of --signing-key in the JWKS document.") var kid: String?

    func run() async throws {
        guard !roles.isEmpty else { throw ValidationError("name at least one --role") }
        let granted = try roles.map { name in
            guard let role = Role(rawValue: name) else { throw ValidationError("unknown role '\(name)'; one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))") }
            return role
        }
        let who = subject ?? DevelopmentKey.defaultSubject
        if let signingKey {
            guard let kid else { throw ValidationError("--signing-key needs --kid, the key's id in the JWKS document") }
            let key = try SigningKey(kid: kid, pem: String(contentsOfFile: signingKey, encoding: .utf8))
            print(try await key.token(subject: who, roles: granted, lifetime: TimeInterval(minutes * 60), name: name))
            return
        }
        let path = DevelopmentKey.path(explicit: devKey)
        guard FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("no development key at \(path): start the local stack with `homeward up` first")
        }
        print(try await AccessKeys.developmentToken(key: try DevelopmentKey.read(path), subject: who, roles: granted, lifetime: TimeInterval(minutes * 60), name: name))
    }
}

/// `homeward keys new`: an office signing key and the JWKS document the services trust;
/// `homeward keys store`: one store key set per service.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Make token signing keys for a deployment without its own identity provider, and each service's store keys.",
        subcommands: [New.self, Store.self])

    struct Store: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create DIR/<service>.store-keys for each service: its own random store key, as STORE_KEYS takes it (mode 0600).",
            discussion: "Each service gets its own key, so a copy of one service's secret opens no other service's store. A file that exists is left as it is (to rotate, see deploy/README.md, \"Rotating a key\").")
        @Option(help: "The keys' id (1 to 32 letters, digits, '-' or '_').") var kid: String
        @Option(help: "Folder for the four <service>.store-keys files.") var out: String

        func validate() throws {
            guard FieldCipher.isValidKeyID(kid) else { throw ValidationError("--kid '\(kid)' is not 1 to 32 letters, digits, '-' or '_'") }
        }

        func run() async throws {
            let directory = URL(fileURLWithPath: out, isDirectory: true)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for service in ServiceName.allCases {
                let file = directory.appendingPathComponent("\(service.rawValue).store-keys").path
                do {
                    try SecretFile.create(atPath: file, contents: Data((FieldCipher.generateKeyText(id: kid) + "\n").utf8))
                    print("store key \(kid) for \(service.rawValue): \(file) (secret)")
                } catch let error as SecretFileError where error.errno == EEXIST {
                    print("\(file) exists; left as it is")
                }
            }
        }
    }

    struct New: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an ES256 signing key KID.pem and add its public half to DIR/jwks.json.",
            discussion: "Keys already in DIR/jwks.json stay, so a new key can be introduced before the old one is removed (rotation). Keep KID.pem secret: whoever holds it can sign tokens.")
        @Option(help: "The new key's id.") var kid: String
        @Option(help: "Folder for KID.pem and jwks.json.") var out: String

        func run() async throws {
            let directory = URL(fileURLWithPath: out, isDirectory: true)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let pemFile = directory.appendingPathComponent("\(kid).pem")
            guard !FileManager.default.fileExists(atPath: pemFile.path) else { throw ValidationError("\(pemFile.path) exists; choose another --kid") }
            let key = SigningKey(kid: kid)
            try SecretFile.create(atPath: pemFile.path, contents: Data(key.pem.utf8))
            let jwksFile = directory.appendingPathComponent("jwks.json")
            var keys: [[String: String]] = []
            if let data = try? Data(contentsOf: jwksFile) {
                keys = (try JSONDecoder().decode([String: [[String: String]]].self, from: data))["keys"] ?? []
            }
            keys.removeAll { $0["kid"] == kid }
            keys.append(key.publicJWK)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try encoder.encode(["keys": keys]).write(to: jwksFile)
            print("signing key \(pemFile.path) (secret), public keys in \(jwksFile.path) (\(keys.count) keys: \(keys.compactMap { $0["kid"] }.joined(separator: ", ")))")
        }
    }
}
