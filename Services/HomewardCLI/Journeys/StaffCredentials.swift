/// The `Authorization` header values staff send, one per desk: a token from the office's
/// identity provider, or on the local stack one minted with its development key
/// (`homeward token`).
public struct StaffCredentials: Sendable {
    public var caseworker: String?
    public var healthOfficer: String?
    public var movementOfficer: String?
    public var reintegrationOfficer: String?
    /// Approves reintegration plans.
    public var supervisor: String?

    public init(caseworker: String?, healthOfficer: String?, movementOfficer: String?, reintegrationOfficer: String?, supervisor: String?) {
        self.caseworker = caseworker
        self.healthOfficer = healthOfficer
        self.movementOfficer = movementOfficer
        self.reintegrationOfficer = reintegrationOfficer
        self.supervisor = supervisor
    }

    /// One token (holding every role the journeys need) at every desk.
    public static func same(_ authorization: String?) -> StaffCredentials {
        StaffCredentials(caseworker: authorization, healthOfficer: authorization, movementOfficer: authorization,
                         reintegrationOfficer: authorization, supervisor: authorization)
    }
}
