public import Foundation
public import JWTKit
import Synchronization

/// The keys that verify (and, on a developer's machine, sign) access tokens.
///
/// Production verifies tokens from the office's identity provider with the public keys
/// of a JWKS document (`AUTH_JWKS_FILE`): each key has a `kid`, so a new key is added
/// beside the old one and the old one removed once its tokens have expired. The local
/// stack signs and verifies with one symmetric development key (`AUTH_DEV_KEY`), which a
/// production configuration refuses.
public struct AccessKeys: Sendable {
    public let collection: JWTKeyCollection
    private let verified = VerifiedTokens()

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

    /// The claims of `token`, or why it is refused. A token verified before is taken from
    /// ``VerifiedTokens`` until it expires (the same text, so the same signature and claims).
    public func verify(_ token: String) async throws -> StaffClaims {
        if let claims = verified.claims(of: token, at: Date()) { return claims }
        let claims = try await collection.verify(token, as: StaffClaims.self)
        verified.keep(claims, of: token)
        return claims
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

/// Tokens this process verified, by their exact text, kept until they expire. A client
/// sends its one token with every request, and verifying it (decoding header and payload,
/// checking the signature) was about 1.5 % of the services' CPU under journeys (`perf`,
/// 2026-12-07). The keys never change while
/// the process runs, so a token good once is good until its `exp`.
final class VerifiedTokens: Sendable {
    private let tokens = Mutex<[String: StaffClaims]>([:])
    /// A bound on memory: past it, everything is forgotten and verified again.
    private static let limit = 4_096

    func claims(of token: String, at now: Date) -> StaffClaims? {
        tokens.withLock { tokens in
            guard let claims = tokens[token] else { return nil }
            guard claims.exp.value > now else {
                tokens[token] = nil  // expired: verified again, refused with the reason
                return nil
            }
            return claims
        }
    }

    func keep(_ claims: StaffClaims, of token: String) {
        tokens.withLock { tokens in
            if tokens.count >= Self.limit { tokens.removeAll(keepingCapacity: true) }
            tokens[token] = claims
        }
    }
}
