import Foundation
import GRDB
import HomewardAccess
import HomewardModel
public import HomewardRuntime
import HomewardStore
public import Hummingbird
import HealthScreeningAPI

/// Health officers' API. Reads of a traveller's record return medical detail; nothing
/// else does.
struct TravellersController: StaffController {
    let stores: PartitionStores
    let workflow: HealthWorkflow

    func addRoutes(to router: Router<ServiceRequestContext>) {
        router.get("/travellers/:travellerID", roles: [.healthOfficer], use: show)
        router.post("/travellers/:travellerID/exams", roles: [.healthOfficer], use: action { (w, id, input: ExamInput, db) in try w.recordExam(id, input, in: db) })
        router.post("/travellers/:travellerID/fitness", roles: [.healthOfficer], use: action { (w, id, input: FitnessInput, db) in try w.recordFitness(id, input, in: db) })
        router.post("/travellers/:travellerID/rescreen", roles: [.healthOfficer], use: action { (w, id, input: RescreenInput, db) in try w.rescreen(id, input, in: db) })
        router.post("/travellers/:travellerID/pre-embarkation", roles: [.healthOfficer], use: action { (w, id, input: FitnessInput, db) in try w.recordPreEmbarkation(id, input, in: db) })
        router.get("/screenings", roles: [.healthOfficer], query: PageRequest.parameters.union(["list"]), use: workList)
    }

    @Sendable func show(_ request: Request, context: ServiceRequestContext) async throws -> TravellerRecord {
        let traveller = try context.travellerID()
        guard let (_, record) = try await stores.locate({ db in try HealthRepository.record(traveller, in: db) }) else {
            throw HealthRefusal.unknownTraveller
        }
        RequestScope.current?.concerns(record.caseID.rawValue)
        return record
    }

    @Sendable func workList(_ request: Request, context: ServiceRequestContext) async throws -> WorkList {
        let query = request.uri.queryParameters
        let list = query["list"].map(String.init) ?? "due"
        guard ["due", "overdue", "on-hold"].contains(list) else {
            throw Problem(status: .badRequest, rule: "invalid-query", field: "list", detail: "one of due, overdue, on-hold")
        }
        let paging = try PageRequest(query, shape: { $0.parts.count == 4 && $0.number(0) != nil && $0.number(1) != nil && $0.text(2) != nil && $0.number(3) != nil })
        let now = workflow.clock()
        let lists = try await stores.readEach { db in try HealthRepository.workList(list, now: now, page: paging, in: db) }
        let page = paging.page(of: lists.joined(), key: HealthRepository.order)
        return WorkList(list: list, items: page.items, next: page.next)
    }

    /// One officer action in the traveller's store, answered with the record as committed.
    func change(_ context: ServiceRequestContext,
                _ action: @escaping @Sendable (HealthWorkflow, TravellerID, Database) throws -> Void) async throws -> TravellerRecord {
        let traveller = try context.travellerID()
        let workflow = self.workflow
        let record = try await stores.change(locating: { db in try HealthRepository.caseID(of: traveller, in: db) }) { db in
            try action(workflow, traveller, db)
            return try HealthRepository.record(traveller, in: db)!
        }
        guard let record else { throw HealthRefusal.unknownTraveller }
        return record
    }
}

extension TravellerRecord: ResponseEncodable {}
extension WorkList: PagedList {}
