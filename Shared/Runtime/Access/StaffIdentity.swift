public import HomewardAccess

/// Who is calling: the verified token's subject and the roles this service knows.
public struct StaffIdentity: Sendable, Equatable {
    public var subject: String
    public var roles: Set<Role>

    public init(subject: String, roles: Set<Role>) {
        self.subject = subject
        self.roles = roles
    }
}
