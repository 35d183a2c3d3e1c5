public import HomewardAccess

/// Who is calling: the verified token's subject, the roles this service knows, and the
/// display name its token carries, if any (recorded, never compared).
public struct StaffIdentity: Sendable, Equatable {
    /// The caller of the request this task answers (bound by ``Authentication``).
    @TaskLocal public static var current: StaffIdentity?

    public var subject: String
    public var roles: Set<Role>
    public var displayName: String?

    public init(subject: String, roles: Set<Role>, displayName: String? = nil) {
        self.subject = subject
        self.roles = roles
        self.displayName = displayName
    }
}
