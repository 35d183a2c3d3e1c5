import Foundation
import HomewardAccess
import JWTKit
import Testing

/// A token verified once is not verified again until it expires; then it is refused as
/// any expired token is. A token that fails verification is never remembered.
@Suite("Verified tokens")
struct VerifiedTokenTests {
    @Test func aRememberedTokenIsAcceptedUntilItsExpiryAndThenRefused() async throws {
        let key = AccessKeys.generateDevelopmentKey()
        let keys = try await AccessKeys(jwks: nil, developmentKey: key)
        let token = try await AccessKeys.developmentToken(key: key, subject: "caseworker-1", roles: [.caseworker], lifetime: 2)
        #expect(try await keys.verify(token).sub.value == "caseworker-1")
        #expect(try await keys.verify(token).sub.value == "caseworker-1")
        // Past its expiry, the remembered claims are dropped and the token verified again: refused.
        try await Task.sleep(for: .seconds(2.5))
        await #expect(throws: JWTError.self) { try await keys.verify(token) }
    }

    @Test func aTokenSignedWithAnotherKeyIsRefusedEveryTime() async throws {
        let keys = try await AccessKeys(jwks: nil, developmentKey: AccessKeys.generateDevelopmentKey())
        let forged = try await AccessKeys.developmentToken(key: AccessKeys.generateDevelopmentKey(), subject: "mallory", roles: [.supervisor])
        for _ in 0..<2 { await #expect(throws: JWTError.self) { try await keys.verify(forged) } }
    }
}
