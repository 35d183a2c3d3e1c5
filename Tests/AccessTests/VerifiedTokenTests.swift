import Foundation
@testable import HomewardAccess
import JWTKit
import Testing

/// A token verified once is taken from memory until it expires; then it is verified again
/// and refused as any expired token is. A token that fails verification is never remembered.
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

    @Test func theMemoryAnswersUntilTheExpiryAndForgetsPastItsBound() {
        let tokens = VerifiedTokens()
        let now = Date()
        let claims = StaffClaims(subject: "caseworker-1", roles: [.caseworker], lifetime: 60, now: now)
        #expect(tokens.claims(of: "t", at: now) == nil)
        tokens.keep(claims, of: "t")
        #expect(tokens.claims(of: "t", at: now.addingTimeInterval(59))?.sub.value == "caseworker-1")
        #expect(tokens.claims(of: "t", at: now.addingTimeInterval(61)) == nil)
        #expect(tokens.claims(of: "t", at: now) == nil, "an expired token is forgotten, not kept for a clock that goes back")
        for i in 0..<4_097 { tokens.keep(claims, of: "t\(i)") }
        #expect(tokens.claims(of: "t0", at: now) == nil, "past 4,096 tokens, what was kept is forgotten")
        #expect(tokens.claims(of: "t4096", at: now) != nil)
    }
}
