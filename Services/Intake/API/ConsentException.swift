public import Foundation
public import HomewardModel

/// An exception to consent a supervisor records for a case and a purpose
/// (`POST /cases/{id}/exceptions`, IOM principle 13): what the purpose covers may go to
/// its recipient without the person's consent, on a legal basis the principles allow.
public struct ExceptionInput: Codable, Sendable, Equatable {
    public var purpose: ConsentPurpose
    public var legalBasis: ExceptionBasis
    /// Why consent cannot be asked or given, and why the transfer is needed: sealed at
    /// rest, erased with the case's personal data, never in an event.
    public var reason: String
    /// The end of its validity, in the future; none: until withdrawn.
    public var validUntil: Date?
    /// The supervisor: the caller. Not the caseworker who registered the case (four eyes).
    @FromToken public var recordedBy: String
    public init(purpose: ConsentPurpose, legalBasis: ExceptionBasis, reason: String, validUntil: Date? = nil, recordedBy: String = "") {
        self.purpose = purpose; self.legalBasis = legalBasis; self.reason = reason; self.validUntil = validUntil; self.recordedBy = recordedBy
    }
}

/// A supervisor withdraws the exception in force for a purpose
/// (`POST /cases/{id}/exceptions/{purpose}/withdrawal`).
public struct ExceptionWithdrawalInput: Codable, Sendable, Equatable {
    @FromToken public var recordedBy: String
    public init(recordedBy: String = "") { self.recordedBy = recordedBy }
}

/// An exception as recorded, the latest per purpose.
public struct ExceptionView: Codable, Sendable, Equatable {
    public var purpose: ConsentPurpose
    public var legalBasis: ExceptionBasis
    /// Absent once the case's personal data is erased.
    public var reason: String?
    public var validUntil: Date?
    public var recordedBy: String
    public var recordedAt: Date
    public var withdrawnBy: String?
    public var withdrawnAt: Date?
    public init(purpose: ConsentPurpose, legalBasis: ExceptionBasis, reason: String?, validUntil: Date?, recordedBy: String, recordedAt: Date,
                withdrawnBy: String? = nil, withdrawnAt: Date? = nil) {
        self.purpose = purpose; self.legalBasis = legalBasis; self.reason = reason; self.validUntil = validUntil; self.recordedBy = recordedBy
        self.recordedAt = recordedAt; self.withdrawnBy = withdrawnBy; self.withdrawnAt = withdrawnAt
    }
}
