public import Foundation
public import HomewardModel
public import IntakeAPI

/// Intake's routes (`Services/Intake/Controllers`), typed: caseworkers' cases and reports.
public struct IntakeClient: Sendable {
    /// The transport, also the raw escape hatch for malformed input.
    public let api: ServiceAPI
    /// The service's documents of a case (``DocumentsClient``).
    public var documents: DocumentsClient { DocumentsClient(api) }

    public init(_ api: ServiceAPI) { self.api = api }

    /// `POST /cases`; the key names the case for good, so a repeated call answers the same case.
    /// The answer's `possibleDuplicates` warns of other open cases of the same people.
    public func register(_ referral: ReferralRequest, idempotencyKey: String? = nil) async throws -> CaseView {
        try await api.call("POST", "cases", referral, headers: idempotencyKey.map { ["Idempotency-Key": $0] } ?? [:])
    }

    public func `case`(_ id: CaseID) async throws -> CaseView {
        try await api.call("cases/\(id)")
    }

    /// `GET /cases/{id}`, or `nil` while intake does not know the case.
    public func caseIfPresent(_ id: CaseID) async throws -> CaseView? {
        try await api.callIfPresent("cases/\(id)")
    }

    /// `GET /cases/{id}/possible-duplicates` (caseworkers): other open cases that may be the
    /// same people's, case ids only; a warning, never a refusal.
    public func possibleDuplicates(_ id: CaseID) async throws -> PossibleDuplicates {
        try await api.call("cases/\(id)/possible-duplicates")
    }

    /// `GET /cases` with intake's filters, newest registration first.
    public func cases(status: CaseStatus? = nil, stage: CaseStage? = nil, returnCountry: String? = nil, programme: String? = nil,
                      deadlineBefore: Date? = nil, limit: Int? = nil, after: String? = nil) async throws -> CaseList {
        try await api.call(ServiceAPI.path("cases", [
            ("status", status?.rawValue), ("stage", stage?.rawValue), ("returnCountry", returnCountry), ("programme", programme),
            ("deadlineBefore", deadlineBefore.map(Instant.format)), ("limit", limit.map(String.init)), ("after", after),
        ]))
    }

    /// `PATCH /cases/{id}`: the case's corrected facts (a merge patch); eligibility is re-decided at once.
    public func correct(_ id: CaseID, _ correction: Correction) async throws -> CaseView {
        try await api.call("PATCH", "cases/\(id)", correction)
    }

    /// `PATCH /cases/{id}/travellers/{travellerID}`: a traveller's corrected record (a merge patch).
    public func correct(_ id: CaseID, traveller: TravellerID, _ correction: Correction) async throws -> CaseView {
        try await api.call("PATCH", "cases/\(id)/travellers/\(traveller)", correction)
    }

    public func consent(_ id: CaseID, _ consent: ConsentInput) async throws -> CaseView {
        try await api.call("POST", "cases/\(id)/consents", consent)
    }

    /// `POST /cases/{id}/counselling`: a counselling session; the counsellor is the caller.
    public func counselling(_ id: CaseID, _ session: CounsellingInput) async throws -> CaseView {
        try await api.call("POST", "cases/\(id)/counselling", session)
    }

    /// `POST /cases/{id}/travellers/{travellerID}/orientation`: a traveller's pre-departure orientation.
    public func orientation(_ id: CaseID, _ traveller: TravellerID, _ session: OrientationInput) async throws -> CaseView {
        try await api.call("POST", "cases/\(id)/travellers/\(traveller)/orientation", session)
    }

    public func declaration(_ id: CaseID, _ declaration: DeclarationInput = DeclarationInput()) async throws -> CaseView {
        try await api.call("POST", "cases/\(id)/declaration", declaration)
    }

    public func reassess(_ id: CaseID) async throws -> CaseView {
        try await api.call("POST", "cases/\(id)/assessment", Empty())
    }

    public func withdraw(_ id: CaseID) async throws -> CaseView {
        try await api.call("POST", "cases/\(id)/withdrawal", WithdrawalInput())
    }

    public func revoke(_ id: CaseID, _ revocation: RevocationInput) async throws -> CaseView {
        try await api.call("POST", "cases/\(id)/revocation", revocation)
    }

    /// `POST /cases/{id}/erasure` (supervisors).
    public func erase(_ id: CaseID) async throws -> CaseView {
        try await api.call("POST", "cases/\(id)/erasure", ErasureInput())
    }

    /// `GET /reports/5w` as `csv` or `json`, as the service writes it.
    public func fiveW(from: String, to: String, format: String) async throws -> String {
        try await api.text(ServiceAPI.path("reports/5w", [("from", from), ("to", to), ("format", format)]))
    }
}
