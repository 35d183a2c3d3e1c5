public import HomewardAccess

/// Who is calling: the verified token's subject and the roles this service knows.
public struct StaffIdentity: Sendable, Equatable {
    /// The caller of the request this task answers (bound by ``Authentication``).
    @TaskLocal public static var current: StaffIdentity?

    public var subject: String
    public var roles: Set<Role>

    public init(subject: String, roles: Set<Role>) {
        self.subject = subject
        self.roles = roles
    }
}
