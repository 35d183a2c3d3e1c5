public import Foundation
public import JWTKit

/// The keys that verify (and, on a developer's machine, sign) access tokens.
///
/// Production verifies tokens from the office's identity provider with the public keys
/// of a JWKS document (`AUTH_JWKS_FILE`): each key has a `kid`, so a new key is added
/// beside the old one and the old one removed once its tokens have expired. The local
/// stack signs and verifies with one symmetric development key (`AUTH_DEV_KEY`), which a
/// production configuration refuses.
public struct AccessKeys: Sendable {
    public let collection: JWTKeyCollection

    /// The key id of the development key.
    public static let developmentKeyID = "homeward-dev"

    public init(jwks: String?, developmentKey: Data?) async throws {
        let collection = JWTKeyCollection()
        if let jwks { try await collection.add(jwksJSON: jwks) }
        if let developmentKey {
            await collection.add(hmac: HMACKey(from: developmentKey), digestAlgorithm: .sha256, kid: JWKIdentifier(string: Self.developmentKeyID))
        }
        self.collection = collection
    }

    /// The claims of `token`, or why it is refused.
    public func verify(_ token: String) async throws -> StaffClaims {
        try await collection.verify(token, as: StaffClaims.self)
    }

    /// A development key: 32 random bytes.
    public static func generateDevelopmentKey() -> Data {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    /// A token signed with the development key (the local stack, tests, the CLI).
    public static func developmentToken(key: Data, subject: String, roles: [Role], lifetime: TimeInterval = 12 * 3600, now: Date = Date(),
                                        name: String? = nil) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: key), digestAlgorithm: .sha256, kid: JWKIdentifier(string: developmentKeyID))
        return try await keys.sign(StaffClaims(subject: subject, roles: roles, lifetime: lifetime, now: now, name: name), kid: JWKIdentifier(string: developmentKeyID))
    }
}
