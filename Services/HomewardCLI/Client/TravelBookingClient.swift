public import HomewardModel
public import TravelBookingAPI

/// Travel booking's routes (`Services/TravelBooking/Controllers`), typed: movement officers.
public struct TravelBookingClient: Sendable {
    /// The transport, also the raw escape hatch for malformed input.
    public let api: ServiceAPI
    /// The service's documents of a case (``DocumentsClient``).
    public var documents: DocumentsClient { DocumentsClient(api) }

    public init(_ api: ServiceAPI) { self.api = api }

    public func workList(_ list: TravelWorkList.Name? = nil, returnCountry: String? = nil, limit: Int? = nil,
                         after: String? = nil) async throws -> TravelWorkList {
        try await api.call(ServiceAPI.path("cases", [("list", list?.rawValue), ("returnCountry", returnCountry),
                                                     ("limit", limit.map(String.init)), ("after", after)]))
    }

    public func `case`(_ id: CaseID) async throws -> TravelCaseView {
        try await api.call("cases/\(id)")
    }

    /// `GET /cases/{id}`, or `nil` while travel booking does not know the case.
    public func caseIfPresent(_ id: CaseID) async throws -> TravelCaseView? {
        try await api.callIfPresent("cases/\(id)")
    }

    public func document(_ id: CaseID, traveller: TravellerID, _ update: DocumentUpdate) async throws -> TravelCaseView {
        try await api.call("PUT", "cases/\(id)/travellers/\(traveller)/document", update)
    }

    public func propose(_ id: CaseID, _ booking: BookingRequest) async throws -> BookingView {
        try await api.call("POST", "cases/\(id)/bookings", booking)
    }

    public func booking(_ id: BookingID) async throws -> BookingView {
        try await api.call("bookings/\(id)")
    }

    public func confirm(_ id: BookingID) async throws -> BookingView {
        try await api.call("POST", "bookings/\(id)/confirmation", ConfirmationInput())
    }

    public func depart(_ id: BookingID, _ departure: DepartureInput) async throws -> BookingView {
        try await api.call("POST", "bookings/\(id)/departure", departure)
    }

    public func transit(_ id: BookingID, _ transit: TransitInput) async throws -> BookingView {
        try await api.call("POST", "bookings/\(id)/transit", transit)
    }

    public func arrive(_ id: BookingID, _ arrival: ArrivalInput = ArrivalInput()) async throws -> BookingView {
        try await api.call("POST", "bookings/\(id)/arrival", arrival)
    }

    public func cancel(_ id: BookingID, _ cancellation: CancellationInput) async throws -> BookingView {
        try await api.call("POST", "bookings/\(id)/cancellation", cancellation)
    }

    public func manifest(_ flightNumber: String, date: LocalDate) async throws -> Manifest {
        try await api.call(ServiceAPI.path("manifests/\(flightNumber)", [("date", date.description)]))
    }
}
