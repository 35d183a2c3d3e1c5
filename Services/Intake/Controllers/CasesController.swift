import Foundation
import GRDB
import HomewardAccess
import HomewardModel
import HomewardRuntime
import HomewardStore
public import Hummingbird
import IntakeAPI
import Logging

/// The caseworkers' API over cases. Writes commit with their events and wake the relay.
struct CasesController: StaffController {
    let stores: PartitionStores
    let workflow: IntakeWorkflow

    func addRoutes(to router: Router<ServiceRequestContext>) {
        router.post("/cases", roles: [.caseworker], use: register)
        router.get("/cases", roles: [.caseworker, .supervisor], query: CaseFilter.parameters, use: list)
        router.get("/cases/:caseID", roles: [.caseworker, .supervisor], use: show)
        // Case ids of other open cases of the same people: for the caseworker who works the case.
        router.get("/cases/:caseID/possible-duplicates", roles: [.caseworker], use: possibleDuplicates)
        router.post("/possible-duplicates", roles: [.caseworker], use: possibleDuplicatesOfPeople)  // DuplicateCheck.path
        // Corrections, as JSON merge patches: the case's own facts, and one traveller's.
        router.patch("/cases/:caseID", roles: [.caseworker], use: action { (w, id, input: Correction, db) in try w.correct(id, input, in: db) })
        router.patch("/cases/:caseID/travellers/:travellerID", roles: [.caseworker], use: correctTraveller)
        router.post("/cases/:caseID/consents", roles: [.caseworker], use: action { (w, id, input: ConsentInput, db) in try w.recordConsent(id, input, in: db) })
        // Exceptions to consent (IOM principle 13): a supervisor's, audited like every call.
        router.post("/cases/:caseID/exceptions", roles: [.supervisor], use: action { (w, id, input: ExceptionInput, db) in try w.recordException(id, input, in: db) })
        router.post("/cases/:caseID/exceptions/:purpose/withdrawal", roles: [.supervisor], use: withdrawException)
        router.post("/cases/:caseID/counselling", roles: [.caseworker], use: action { (w, id, input: CounsellingInput, db) in try w.recordCounselling(id, input, in: db) })
        router.post("/cases/:caseID/travellers/:travellerID/orientation", roles: [.caseworker], use: orient)
        router.post("/cases/:caseID/declaration", roles: [.caseworker], use: action { (w, id, input: DeclarationInput, db) in try w.recordDeclaration(id, input, in: db) })
        router.post("/cases/:caseID/assessment", roles: [.caseworker], use: reassess)
        router.post("/cases/:caseID/withdrawal", roles: [.caseworker], use: action { (w, id, input: WithdrawalInput, db) in try w.withdraw(id, input, in: db) })
        router.post("/cases/:caseID/revocation", roles: [.caseworker], use: action { (w, id, input: RevocationInput, db) in try w.revoke(id, input, in: db) })
        // Erases the case's personal data in every service (through `PersonalDataErased`);
        // answers the case's non-identifying view.
        router.post("/cases/:caseID/erasure", roles: [.supervisor], use: action { (w, id, input: ErasureInput, db) in try w.erase(id, input, in: db) })
    }

    @Sendable func register(_ request: Request, context: ServiceRequestContext) async throws -> EditedResponse<CaseView> {
        // Checked by IdempotencyMiddleware; here it also names the new case, for good.
        let key = request.headers[.init("Idempotency-Key")!]
        let referral = try await request.decodeBody(as: ReferralRequest.self, context: context)
        let workflow = self.workflow
        let newCase = try stores.placeNewCase(fixed: key != nil) { IntakeWorkflow.newCaseID(idempotencyKey: key) }
        // Looked for before the case is written, so that the answer kept for a retry carries
        // them; a referral that breaks a rule is refused first, before any store is read.
        try workflow.validate(referral)
        let duplicates = await lookForDuplicates(of: referral, besides: newCase, context: context)
        let scope = RequestScope.current
        let view = try await stores.store(for: newCase).write { db -> CaseView in
            let caseID = try workflow.register(referral, caseID: newCase, idempotencyKey: key, in: db)
            scope?.concerns(caseID.rawValue)
            scope?.created(at: "/cases/\(caseID)")
            var view = try CaseRepository.view(caseID, in: db)!
            view.possibleDuplicates = duplicates
            return view
        }
        return EditedResponse(status: .created, headers: [.location: "/cases/\(view.caseID)"], response: view)
    }

    @Sendable func show(_ request: Request, context: ServiceRequestContext) async throws -> CaseView {
        let caseID = try context.caseID()
        guard let view = try await stores.store(for: caseID).read({ db in try CaseRepository.view(caseID, in: db) }) else {
            throw IntakeRefusal.unknownCase
        }
        return view
    }

    @Sendable func possibleDuplicates(_ request: Request, context: ServiceRequestContext) async throws -> PossibleDuplicates {
        let caseID = try context.caseID()
        guard let found = try await DuplicateCheck.openCases(sharingPeopleWith: caseID, in: stores) else { throw IntakeRefusal.unknownCase }
        return PossibleDuplicates(caseID: caseID, possibleDuplicates: found)
    }

    /// Replicas ask each other here for their part of a case's possible duplicates
    /// (``DuplicateCheck/Question``): keyed hashes in, case ids out.
    @Sendable func possibleDuplicatesOfPeople(_ request: Request, context: ServiceRequestContext) async throws -> PossibleDuplicates {
        let question = try await request.decodeBody(as: DuplicateCheck.Question.self, context: context)
        return PossibleDuplicates(caseID: question.besides, possibleDuplicates: try await DuplicateCheck.answer(question, asking: false, in: stores))
    }

    /// A referral's possible duplicates, or nil when they cannot be looked for now (a store
    /// being restored, a partition changing owner), which never stops the registration.
    private func lookForDuplicates(of referral: ReferralRequest, besides caseID: CaseID, context: ServiceRequestContext) async -> [CaseID]? {
        do {
            let people = try await stores.store(for: caseID).read { db in
                try CaseRepository.personHashes(of: [referral.principal] + (referral.dependants ?? []), in: db)
            }
            return try await DuplicateCheck.openCases(matching: people, besides: caseID, in: stores)
        } catch {
            context.logger.warning("possible duplicates not looked for", metadata: ["error": "\(type(of: error))"])
            return nil
        }
    }

    @Sendable func list(_ request: Request, context: ServiceRequestContext) async throws -> CaseList {
        let filter = try CaseFilter(request.uri.queryParameters)
        return CaseList.merge(try await stores.readEach { db in try CaseRepository.search(filter, in: db) }, filter: filter)
    }

    /// A traveller's orientation: the path names the case and the traveller.
    @Sendable func orient(_ request: Request, context: ServiceRequestContext) async throws -> CaseView {
        let input = try await request.decodeBody(as: OrientationInput.self, context: context)
        let traveller = try context.travellerID()
        return try await change(context) { workflow, caseID, db in try workflow.recordOrientation(caseID, traveller, input, in: db) }
    }

    /// A traveller's correction: the path names the case and the traveller.
    @Sendable func correctTraveller(_ request: Request, context: ServiceRequestContext) async throws -> CaseView {
        let input = try await request.decodeBody(as: Correction.self, context: context)
        let traveller = try context.travellerID()
        return try await change(context) { workflow, caseID, db in try workflow.correct(caseID, traveller: traveller, input, in: db) }
    }

    /// The path names the purpose whose exception is withdrawn.
    @Sendable func withdrawException(_ request: Request, context: ServiceRequestContext) async throws -> CaseView {
        let input = try await request.decodeBody(as: ExceptionWithdrawalInput.self, context: context)
        guard let purpose = ConsentPurpose(rawValue: try context.parameters.require("purpose")) else { throw IntakeRefusal.unknownPurpose }
        return try await change(context) { workflow, caseID, db in try workflow.withdrawException(caseID, purpose, input, in: db) }
    }

    @Sendable func reassess(_ request: Request, context: ServiceRequestContext) async throws -> CaseView {
        try await change(context) { workflow, caseID, db in try workflow.reassess(caseID, in: db) }
    }

    /// Runs one workflow operation in a write transaction and answers the case as it is now.
    func change(_ context: ServiceRequestContext,
                _ operation: @escaping @Sendable (IntakeWorkflow, CaseID, Database) throws -> Void) async throws -> CaseView {
        let caseID = try context.caseID()
        let workflow = self.workflow
        let view = try await stores.store(for: caseID).write { db -> CaseView in
            try operation(workflow, caseID, db)
            return try CaseRepository.view(caseID, in: db)!
        }
        return view
    }
}

extension CaseView: ResponseEncodable {}
extension PossibleDuplicates: ResponseEncodable {}
