import Foundation
import GRDB
import HomewardAccess
import HomewardModel
public import HomewardRuntime
import HomewardStore
public import Hummingbird
import TravelBookingAPI

/// Movement officers' API: readiness, itineraries, confirmations, departures, arrivals and
/// flight manifests.
struct BookingsController: StaffController {
    let stores: PartitionStores
    let workflow: TravelWorkflow

    func addRoutes(to router: Router<ServiceRequestContext>) {
        router.get("/cases", roles: [.movementOfficer, .supervisor], query: PageRequest.parameters.union(["list", "returnCountry"]), use: workList)
        router.get("/cases/:caseID", roles: [.movementOfficer, .supervisor], use: showCase)
        router.put("/cases/:caseID/travellers/:travellerID/document", roles: [.movementOfficer], use: document)
        router.post("/cases/:caseID/bookings", roles: [.movementOfficer], use: propose)
        router.get("/bookings/:bookingID", roles: [.movementOfficer, .supervisor], use: showBooking)
        router.post("/bookings/:bookingID/confirmation", roles: [.movementOfficer], use: action { (w, id, input: ConfirmationInput, db) in try w.confirm(id, input, in: db) })
        router.post("/bookings/:bookingID/departure", roles: [.movementOfficer], use: action { (w, id, input: DepartureInput, db) in try w.depart(id, input, in: db) })
        router.post("/bookings/:bookingID/transit", roles: [.movementOfficer], use: action { (w, id, input: TransitInput, db) in try w.transit(id, input, in: db) })
        router.post("/bookings/:bookingID/arrival", roles: [.movementOfficer], use: action { (w, id, input: ArrivalInput, db) in try w.arrive(id, input, in: db) })
        router.post("/bookings/:bookingID/cancellation", roles: [.movementOfficer], use: action { (w, id, input: CancellationInput, db) in try w.cancel(id, input, in: db) })
        router.get("/manifests/:flightNumber", roles: [.movementOfficer], query: ["date", "format"], use: manifest)
    }

    @Sendable func workList(_ request: Request, context: ServiceRequestContext) async throws -> TravelWorkList {
        let query = request.uri.queryParameters
        let list = try query["list"].map { text in
            guard let name = TravelWorkList.Name(rawValue: String(text)) else {
                throw Problem(status: .badRequest, rule: "invalid-query", field: "list",
                              detail: "one of \(TravelWorkList.Name.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return name
        } ?? .bookable
        let country = query["returnCountry"].map { $0.uppercased() }  // ISO 3166 codes, whatever case they are sent in
        let paging = try PageRequest(query, shape: { $0.parts.count == 2 && $0.number(0) != nil && $0.text(1) != nil })
        let now = workflow.clock()
        let lines = try await stores.readEach { db in
            try TravelRepository.workList(list, returnCountry: country, at: now, page: paging, in: db).map { KeyedItem(key: $0.key, item: $0.line) }
        }
        let page = paging.page(of: lines.joined(), key: \.key)
        return TravelWorkList(list: list, cases: page.items.map(\.item), next: page.next)
    }

    @Sendable func showCase(_ request: Request, context: ServiceRequestContext) async throws -> TravelCaseView {
        let caseID = try context.caseID()
        let now = workflow.clock()
        guard let view = try await stores.store(for: caseID).read({ db in try TravelRepository.caseView(caseID, at: now, in: db) }) else {
            throw TravelRefusal.unknownCase
        }
        return view
    }

    @Sendable func document(_ request: Request, context: ServiceRequestContext) async throws -> TravelCaseView {
        let input = try await request.decodeBody(as: DocumentUpdate.self, context: context)
        let caseID = try context.caseID()
        let traveller = try context.travellerID()
        let workflow = self.workflow
        return try await stores.change(of: caseID) { db in
            try workflow.updateDocument(caseID, traveller, input, in: db)
            return try TravelRepository.caseView(caseID, at: workflow.clock(), in: db)!
        }
    }

    @Sendable func propose(_ request: Request, context: ServiceRequestContext) async throws -> EditedResponse<BookingView> {
        let input = try await request.decodeBody(as: BookingRequest.self, context: context)
        let caseID = try context.caseID()
        let workflow = self.workflow
        let scope = RequestScope.current
        let view = try await stores.change(of: caseID) { db -> BookingView in
            let id = try workflow.propose(caseID, input, in: db)
            scope?.created(at: "/bookings/\(id)")
            return try TravelRepository.booking(id, in: db)!
        }
        return EditedResponse(status: .created, headers: [.location: "/bookings/\(view.bookingID)"], response: view)
    }

    @Sendable func showBooking(_ request: Request, context: ServiceRequestContext) async throws -> BookingView {
        let id = try context.bookingID()
        guard let (_, booking) = try await stores.locate({ db in try TravelRepository.booking(id, in: db) }) else {
            throw TravelRefusal.unknownBooking
        }
        RequestScope.current?.concerns(booking.caseID.rawValue)
        return booking
    }

    /// `GET /manifests/{flightNumber}?date=YYYY-MM-DD&format=json|csv`.
    @Sendable func manifest(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let flight = try context.parameters.require("flightNumber")
        guard flight.wholeMatch(of: /[A-Z0-9]{2}[0-9]{1,4}[A-Z]?/) != nil else {
            throw Problem(status: .badRequest, rule: "flight-number", field: "flightNumber", detail: "an IATA flight number, e.g. AC96")
        }
        let query = request.uri.queryParameters
        guard let text = query["date"], let date = LocalDate(String(text)) else {
            throw Problem(status: .badRequest, rule: "invalid-query", field: "date", detail: "the flight's local departure date, YYYY-MM-DD")
        }
        let format = query["format"].map(String.init) ?? "json"
        guard format == "json" || format == "csv" else { throw Problem(status: .badRequest, rule: "invalid-query", field: "format", detail: "json or csv") }
        let now = workflow.clock()
        let manifest = Manifest(merging: try await stores.readEach { db in
            try TravelRepository.manifest(flightNumber: flight, date: date, now: now, in: db)
        })
        // The airline's dataset only (``Recipient/dataset``), in either format: the CSV is
        // written from what the allow-listed JSON holds.
        let allowed = try Dataset.encode(manifest, for: .airline)
        if format == "csv" {
            let csv = try EventCoding.decoder().decode(Manifest.self, from: allowed).csv
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: csv)))
        }
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: allowed)))
    }

    /// One officer action on a booking in its case's store, answered with the booking as committed.
    func change(_ context: ServiceRequestContext,
                        _ action: @escaping @Sendable (TravelWorkflow, BookingID, Database) throws -> Void) async throws -> BookingView {
        let id = try context.bookingID()
        let workflow = self.workflow
        let view = try await stores.change(locating: { db in try TravelRepository.caseID(of: id, in: db) }) { db in
            try action(workflow, id, db)
            return try TravelRepository.booking(id, in: db)!
        }
        guard let view else { throw TravelRefusal.unknownBooking }
        return view
    }
}

extension Manifest {
    /// One manifest from each partition store's, passengers in departure order.
    init(merging manifests: [Manifest]) {
        self = manifests[0]
        passengers = manifests.flatMap(\.passengers).sorted { $0.departsLocal < $1.departsLocal }
    }

    /// The manifest as CSV, one line per passenger.
    var csv: String {
        var lines = ["flight,date,booking,case,traveller,family_role,from,to,departs_local,services,escorts,items_basis,items_withheld"]
        for p in passengers {
            let services = p.items.compactMap { $0.kind == "service" ? $0.code : nil }.joined(separator: " ")
            let escorts = p.items.compactMap { $0.escort?.rawValue }.joined(separator: " ")
            lines.append([flightNumber, date.description, p.bookingID.rawValue, p.caseID.rawValue, p.travellerID.rawValue,
                          p.familyRole.rawValue, p.from, p.to, p.departsLocal, services, escorts, p.itemsBasis ?? "",
                          p.itemsWithheld ? "yes" : ""].joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension TravelCaseView: ResponseEncodable {}
extension BookingView: ResponseEncodable {}
extension Manifest: ResponseEncodable {}
extension TravelWorkList: PagedList {}
