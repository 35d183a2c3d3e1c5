public import Foundation
public import JWTKit

/// An ES256 key pair for offices without an identity provider of their own: the private
/// key (PEM) signs staff tokens (`homeward token --signing-key`), and its public half goes
/// into the JWKS document the services read (`AUTH_JWKS_FILE`) under a key id. Rotating
/// is adding a new key to the document, signing with it, and removing the old one once
/// its tokens have expired.
public struct SigningKey: Sendable {
    public let kid: String
    public let privateKey: ES256PrivateKey

    public init(kid: String, privateKey: ES256PrivateKey = ES256PrivateKey()) {
        self.kid = kid
        self.privateKey = privateKey
    }

    public init(kid: String, pem: String) throws {
        self.init(kid: kid, privateKey: try ES256PrivateKey(pem: pem))
    }

    public var pem: String { privateKey.pemRepresentation }

    /// The public key as a JWK (RFC 7517), for a JWKS document's `keys`.
    public var publicJWK: [String: String] {
        let parameters = privateKey.parameters!
        return ["kty": "EC", "crv": "P-256", "alg": "ES256", "use": "sig", "kid": kid, "x": parameters.x, "y": parameters.y]
    }

    /// A JWKS document of `keys`' public halves.
    public static func jwks(_ keys: [SigningKey]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(["keys": keys.map(\.publicJWK)])
    }

    /// A token for `subject` with `roles` (and a display `name`, if given).
    public func token(subject: String, roles: [Role], lifetime: TimeInterval, now: Date = Date(), name: String? = nil) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(ecdsa: privateKey, kid: JWKIdentifier(string: kid))
        return try await keys.sign(StaffClaims(subject: subject, roles: roles, lifetime: lifetime, now: now, name: name), kid: JWKIdentifier(string: kid))
    }
}
