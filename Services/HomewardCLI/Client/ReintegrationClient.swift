public import HomewardModel
public import ReintegrationAPI

/// Reintegration's routes (`Services/Reintegration/Controllers`), typed: reintegration
/// officers, and supervisors approving plans.
public struct ReintegrationClient: Sendable {
    /// The transport, also the raw escape hatch for malformed input.
    public let api: ServiceAPI
    /// The service's documents of a case (``DocumentsClient``).
    public var documents: DocumentsClient { DocumentsClient(api) }

    public init(_ api: ServiceAPI) { self.api = api }

    /// `GET /survey`: the sustainability survey visits answer.
    public func survey() async throws -> SurveyView {
        try await api.call("survey")
    }

    public func cases(_ list: String? = nil, returnCountry: String? = nil, limit: Int? = nil, after: String? = nil) async throws -> CaseLines {
        try await api.call(ServiceAPI.path("cases", [("list", list), ("returnCountry", returnCountry),
                                                     ("limit", limit.map(String.init)), ("after", after)]))
    }

    public func `case`(_ id: CaseID) async throws -> ReintegrationCaseView {
        try await api.call("cases/\(id)")
    }

    /// `GET /cases/{id}`, or `nil` while reintegration does not know the case.
    public func caseIfPresent(_ id: CaseID) async throws -> ReintegrationCaseView? {
        try await api.callIfPresent("cases/\(id)")
    }

    /// `PUT /cases/{id}/reception`: the reception needs of an expected (or open) case.
    public func reception(_ id: CaseID, _ reception: ReceptionInput) async throws -> ReintegrationCaseView {
        try await api.call("PUT", "cases/\(id)/reception", reception)
    }

    public func assessment(_ id: CaseID, _ assessment: AssessmentInput) async throws -> ReintegrationCaseView {
        try await api.call("POST", "cases/\(id)/assessments", assessment)
    }

    /// `PUT /cases/{id}/plan`; `ifMatch`: replace only that version of the plan.
    public func plan(_ id: CaseID, _ plan: PlanInput, ifMatch: String? = nil) async throws -> ReintegrationCaseView {
        try await api.call("PUT", "cases/\(id)/plan", plan, headers: ifMatch.map { ["If-Match": $0] } ?? [:])
    }

    /// `POST /cases/{id}/plan/approval` (supervisors).
    public func approvePlan(_ id: CaseID) async throws -> ReintegrationCaseView {
        try await api.call("POST", "cases/\(id)/plan/approval", ApprovalInput())
    }

    /// `POST /cases/{id}/referrals`: a referral to a partner of the directory, `sent`.
    public func refer(_ id: CaseID, _ referral: ReferralInput) async throws -> ReintegrationCaseView {
        try await api.call("POST", "cases/\(id)/referrals", referral)
    }

    /// `POST /cases/{id}/referrals/{referralID}/steps`: the partner's answer, progress, or cancellation.
    public func referralStep(_ id: CaseID, referral: String, _ step: ReferralStepInput) async throws -> ReintegrationCaseView {
        try await api.call("POST", "cases/\(id)/referrals/\(referral)/steps", step)
    }

    /// `GET /referrals`: referrals waiting for the partner's answer longer than the office waits.
    public func referrals(_ list: String? = nil, limit: Int? = nil, after: String? = nil) async throws -> ReferralLines {
        try await api.call(ServiceAPI.path("referrals", [("list", list), ("limit", limit.map(String.init)), ("after", after)]))
    }

    /// `GET /partners`: the partner directory.
    public func partners() async throws -> PartnerList {
        try await api.call("partners")
    }

    /// `PUT /partners/{partnerID}` (supervisors): a partner added, changed or deactivated.
    public func savePartner(_ partnerID: String, _ partner: PartnerInput) async throws -> PartnerView {
        try await api.call("PUT", "partners/\(partnerID)", partner)
    }

    public func disburse(_ id: CaseID, _ disbursement: DisbursementInput) async throws -> ReintegrationCaseView {
        try await api.call("POST", "cases/\(id)/disbursements", disbursement)
    }

    public func reverse(_ id: CaseID, disbursement: DisbursementID) async throws -> ReintegrationCaseView {
        try await api.call("POST", "cases/\(id)/disbursements/\(disbursement)/reversal", ReversalInput())
    }

    public func visit(_ id: CaseID, _ visit: VisitInput) async throws -> ReintegrationCaseView {
        try await api.call("POST", "cases/\(id)/visits", visit)
    }

    public func close(_ id: CaseID, _ closure: ClosureInput) async throws -> ReintegrationCaseView {
        try await api.call("POST", "cases/\(id)/closure", closure)
    }
}
