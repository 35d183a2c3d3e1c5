public import Foundation
public import GRDB
public import HomewardModel

/// On what a flow to a third party rests: the person's consent, or an exception a
/// supervisor recorded in intake (IOM principle 13).
public enum SharingBasis: Equatable, Sendable {
    case consent
    case exception(ExceptionBasis)

    /// `consent`, or the exception's legal basis.
    public var name: String {
        switch self {
        case .consent: "consent"
        case .exception(let basis): basis.rawValue
        }
    }
}

/// A flow refused: no consent to its purpose in force (withdrawn, or never given) and no
/// exception in force.
public struct SharingRefused: Error, Equatable, Sendable {
    public var flow: OutwardFlow
    /// Withdrawn or refused, rather than never recorded.
    public var withdrawn: Bool
}

/// The gate of every ``OutwardFlow``, over ``ConsentStore``'s consents and exceptions.
public enum SharingGate {
    /// The basis on which `flow` may send the case's data at `now`, or ``SharingRefused``.
    public static func basis(for flow: OutwardFlow, of caseID: CaseID, at now: Date, in db: Database) throws -> SharingBasis {
        let purpose = flow.recipient.purpose
        let consent = try ConsentStore.granted(purpose, of: caseID, in: db)
        if consent == true { return .consent }
        if let basis = try ConsentStore.exception(purpose, of: caseID, at: now, in: db) { return .exception(basis) }
        throw SharingRefused(flow: flow, withdrawn: consent == false)
    }

    /// The basis in force for `flow` at `now`; nil when there is none.
    public static func basisInForce(for flow: OutwardFlow, of caseID: CaseID, at now: Date, in db: Database) throws -> SharingBasis? {
        do {
            return try basis(for: flow, of: caseID, at: now, in: db)
        } catch is SharingRefused {
            return nil
        }
    }
}
