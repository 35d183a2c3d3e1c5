import Foundation
import GRDB
import HomewardAccess
import HomewardModel
public import HomewardRuntime
import HomewardStore
import Kafka
public import Hummingbird
import ReintegrationAPI

/// Reintegration officers' API.
struct ReintegrationController: StaffController {
    let stores: PartitionStores
    let workflow: ReintegrationWorkflow
    let nearlySpent: Double
    let visitEvery: TimeInterval
    /// How long a referral waits for the partner's answer before it is on the work list.
    let referralWaiting: TimeInterval
    let partnerFeed: PartnerFeed

    func addRoutes(to router: Router<ServiceRequestContext>) {
        router.get("/survey", roles: [.reintegrationOfficer], use: survey)
        router.get("/cases", roles: [.reintegrationOfficer, .supervisor], query: PageRequest.parameters.union(["list", "returnCountry"]), use: list)
        router.get("/cases/:caseID", roles: [.reintegrationOfficer, .supervisor], use: show)
        router.put("/cases/:caseID/reception", roles: [.reintegrationOfficer], use: action { (w, id, input: ReceptionInput, db) in try w.recordReception(id, input, in: db) })
        router.get("/cases/:caseID/partner-handover", roles: [.reintegrationOfficer], use: handover)
        router.post("/cases/:caseID/assessments", roles: [.reintegrationOfficer], use: action { (w, id, input: AssessmentInput, db) in try w.recordAssessment(id, input, in: db) })
        router.put("/cases/:caseID/plan", roles: [.reintegrationOfficer], use: plan)
        router.post("/cases/:caseID/plan/approval", roles: [.supervisor], use: action { (w, id, input: ApprovalInput, db) in try w.approvePlan(id, input, in: db) })
        router.post("/cases/:caseID/referrals", roles: [.reintegrationOfficer], use: action { (w, id, input: ReferralInput, db) in try w.refer(id, input, in: db) })
        router.post("/cases/:caseID/referrals/:referralID/steps", roles: [.reintegrationOfficer], use: referralStep)
        router.get("/referrals", roles: [.reintegrationOfficer, .supervisor], query: PageRequest.parameters.union(["list"]), use: referrals)
        router.get("/partners", roles: [.reintegrationOfficer, .supervisor], use: partners)
        router.put("/partners/:partnerID", roles: [.supervisor], use: savePartner)
        router.post("/cases/:caseID/disbursements", roles: [.reintegrationOfficer], use: action { (w, id, input: DisbursementInput, db) in _ = try w.disburse(id, input, in: db) })
        router.post("/cases/:caseID/disbursements/:disbursementID/reversal", roles: [.reintegrationOfficer, .supervisor], use: reverse)
        router.post("/cases/:caseID/visits", roles: [.reintegrationOfficer], use: action { (w, id, input: VisitInput, db) in try w.recordVisit(id, input, in: db) })
        router.post("/cases/:caseID/closure", roles: [.reintegrationOfficer], use: action { (w, id, input: ClosureInput, db) in try w.close(id, input, in: db) })
    }

    /// The sustainability survey visits answer: indicators, scales and weights.
    @Sendable func survey(_ request: Request, context: ServiceRequestContext) async throws -> SustainabilitySurvey {
        workflow.survey
    }

    @Sendable func list(_ request: Request, context: ServiceRequestContext) async throws -> CaseLines {
        let query = request.uri.queryParameters
        let name = query["list"].map(String.init) ?? "open"
        guard ["open", "awaiting-approval", "budget-nearly-spent", "visits-due", "expected"].contains(name) else {
            throw Problem(status: .badRequest, rule: "invalid-query", field: "list", detail: "one of open, awaiting-approval, budget-nearly-spent, visits-due, expected")
        }
        let country = query["returnCountry"].map { $0.uppercased() }  // ISO 3166 codes, whatever case they are sent in
        let paging = try PageRequest(query, shape: { $0.parts.count == 2 && $0.number(0) != nil && $0.text(1) != nil })
        let (now, nearlySpent, visitEvery) = (workflow.clock(), self.nearlySpent, self.visitEvery)
        let lists = try await stores.readEach { db in
            try ReintegrationRepository.list(name, country: country, now: now, nearlySpent: nearlySpent, visitEvery: visitEvery, page: paging, in: db)
                .map { KeyedItem(key: PageKey(.number($0.key), .text($0.line.caseID.rawValue)), item: $0.line) }
        }
        let page = paging.page(of: lists.joined(), key: \.key)
        return CaseLines(list: name, cases: page.items.map(\.item), next: page.next)
    }

    /// Referrals waiting for the partner's answer longer than ``referralWaiting``, oldest
    /// first, from every store.
    @Sendable func referrals(_ request: Request, context: ServiceRequestContext) async throws -> ReferralLines {
        let query = request.uri.queryParameters
        let name = query["list"].map(String.init) ?? "waiting"
        guard name == "waiting" else { throw Problem(status: .badRequest, rule: "invalid-query", field: "list", detail: "one of waiting") }
        let paging = try PageRequest(query, shape: { $0.parts.count == 2 && $0.number(0) != nil && $0.text(1) != nil })
        let sentBefore = workflow.clock().addingTimeInterval(-referralWaiting)
        let lists = try await stores.readEach { db in
            try ReintegrationRepository.referralsWaiting(sentBefore: sentBefore, page: paging, in: db)
                .map { KeyedItem(key: PageKey(.number($0.key), .text($0.line.referralID)), item: $0.line) }
        }
        let page = paging.page(of: lists.joined(), key: \.key)
        return ReferralLines(list: name, referrals: page.items.map(\.item), next: page.next)
    }

    /// The partner directory, as every replica reads it.
    @Sendable func partners(_ request: Request, context: ServiceRequestContext) async throws -> PartnerList {
        PartnerList(partners: workflow.partners.partners)
    }

    /// A supervisor saves a partner, new or changed: written to the partners topic, and
    /// answered once this replica reads it back. The audit entry names the partner's path.
    @Sendable func savePartner(_ request: Request, context: ServiceRequestContext) async throws -> PartnerView {
        let input = try await request.decodeBody(as: PartnerInput.self, context: context)
        try BlankField.check(input.recordedBy, at: "/recordedBy")
        let partner = try ReferralRules.partner(try context.parameters.require("partnerID"), input, at: workflow.clock())
        do {
            guard try await partnerFeed.publish(partner) else { throw ReintegrationRefusal.partnerDirectoryUnavailable }
        } catch is KafkaError {
            throw ReintegrationRefusal.partnerDirectoryUnavailable
        }
        return partner
    }

    @Sendable func referralStep(_ request: Request, context: ServiceRequestContext) async throws -> ReintegrationCaseView {
        let input = try await request.decodeBody(as: ReferralStepInput.self, context: context)
        let referral = try context.parameters.require("referralID")
        return try await change(context) { w, id, db in try w.recordReferralStep(id, referral, input, in: db) }
    }

    /// What the partner receives for the case (``ReintegrationWorkflow/handover(_:in:)``).
    @Sendable func handover(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let caseID = try context.caseID()
        let workflow = self.workflow
        let body = try await stores.store(for: caseID).read { db in try workflow.handover(caseID, in: db) }
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    @Sendable func show(_ request: Request, context: ServiceRequestContext) async throws -> ReintegrationCaseView {
        let caseID = try context.caseID()
        guard let view = try await stores.store(for: caseID).read({ db in try ReintegrationRepository.view(caseID, in: db) }) else {
            throw ReintegrationRefusal.unknownCase
        }
        return view
    }

    /// Replaces the plan whole; `If-Match` with the plan's ETag replaces only that version.
    @Sendable func plan(_ request: Request, context: ServiceRequestContext) async throws -> EditedResponse<ReintegrationCaseView> {
        let input = try await request.decodeBody(as: PlanInput.self, context: context)
        let ifMatch = request.headers[.ifMatch]
        let view = try await change(context, tagged: true) { w, id, db in try w.submitPlan(id, input, ifMatch: ifMatch, in: db) }
        return EditedResponse(headers: view.plan.map { [.eTag: $0.etag] } ?? [:], response: view)
    }

    @Sendable func reverse(_ request: Request, context: ServiceRequestContext) async throws -> ReintegrationCaseView {
        let input = try await request.decodeBody(as: ReversalInput.self, context: context)
        let original = DisbursementID(try context.parameters.require("disbursementID"))
        return try await change(context) { w, id, db in _ = try w.reverse(id, original, recordedBy: input.recordedBy, in: db) }
    }

    /// One officer action in the case's store, answered with the case as committed.
    func change(_ context: ServiceRequestContext,
                _ action: @escaping @Sendable (ReintegrationWorkflow, CaseID, Database) throws -> Void) async throws -> ReintegrationCaseView {
        try await change(context, tagged: false, action)
    }

    /// ``change(_:_:)``; `tagged`: the answer carries the plan's `ETag`, kept for retries too.
    private func change(_ context: ServiceRequestContext, tagged: Bool,
                        _ action: @escaping @Sendable (ReintegrationWorkflow, CaseID, Database) throws -> Void) async throws -> ReintegrationCaseView {
        let caseID = try context.caseID()
        let workflow = self.workflow
        let scope = tagged ? RequestScope.current : nil
        return try await stores.change(of: caseID) { db in
            try action(workflow, caseID, db)
            let view = try ReintegrationRepository.view(caseID, in: db)!
            if let etag = view.plan?.etag { scope?.tagged(etag) }
            return view
        }
    }
}

extension SustainabilitySurvey: ResponseEncodable {}

extension ReintegrationCaseView: ResponseEncodable {}
extension CaseLines: PagedList {}
extension ReferralLines: PagedList {}
extension PartnerList: ResponseEncodable {}
extension PartnerView: ResponseEncodable {}
