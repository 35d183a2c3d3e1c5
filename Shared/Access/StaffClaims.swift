public import Foundation
public import JWTKit

/// The claims of a Homeward access token: who (`sub`), which roles, for whom (`aud`
/// must name `homeward`), and until when (`exp`, required); optionally the person's
/// display name (`name`, as OpenID Connect calls it), which the audit trail records beside
/// the subject. Who acted, and four eyes, compare subjects only.
public struct StaffClaims: JWTPayload, Equatable {
    /// The staff member's id, as the identity provider knows them; the audit trail records it.
    public var sub: SubjectClaim
    public var roles: [String]
    public var aud: AudienceClaim
    public var exp: ExpirationClaim
    public var iat: IssuedAtClaim?
    public var name: String?

    public static let audience = "homeward"

    public init(subject: String, roles: [Role], lifetime: TimeInterval, now: Date = Date(), name: String? = nil) {
        sub = SubjectClaim(value: subject)
        self.name = name
        self.roles = roles.map(\.rawValue)
        aud = AudienceClaim(value: [Self.audience])
        exp = ExpirationClaim(value: now.addingTimeInterval(lifetime))
        iat = IssuedAtClaim(value: now)
    }

    public func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
        try aud.verifyIntendedAudience(includes: Self.audience)
        guard !sub.value.isEmpty else { throw JWTError.claimVerificationFailure(failedClaim: sub, reason: "empty subject") }
    }

    /// The roles this service knows; unknown names (another system's roles) grant nothing.
    public var knownRoles: Set<Role> { Set(roles.compactMap(Role.init(rawValue:))) }

    /// The display name as the audit trail keeps it: trimmed, at most 200 characters, none if blank.
    public var displayName: String? {
        guard let name = name?.trimmingCharacters(in: .whitespacesAndNewlines), !name.isEmpty else { return nil }
        return String(name.prefix(200))
    }
}
