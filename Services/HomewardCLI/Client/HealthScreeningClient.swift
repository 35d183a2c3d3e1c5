public import HealthScreeningAPI
public import HomewardModel

/// Health screening's routes (`Services/HealthScreening/Controllers`), typed: health officers.
public struct HealthScreeningClient: Sendable {
    /// The transport, also the raw escape hatch for malformed input.
    public let api: ServiceAPI
    /// The service's documents of a case (``DocumentsClient``).
    public var documents: DocumentsClient { DocumentsClient(api) }

    public init(_ api: ServiceAPI) { self.api = api }

    public func traveller(_ id: TravellerID) async throws -> TravellerRecord {
        try await api.call("travellers/\(id)")
    }

    /// `GET /travellers/{id}`, or `nil` while health screening does not know the traveller.
    public func travellerIfPresent(_ id: TravellerID) async throws -> TravellerRecord? {
        try await api.callIfPresent("travellers/\(id)")
    }

    public func exam(_ id: TravellerID, _ exam: ExamInput) async throws -> TravellerRecord {
        try await api.call("POST", "travellers/\(id)/exams", exam)
    }

    public func fitness(_ id: TravellerID, _ fitness: FitnessInput) async throws -> TravellerRecord {
        try await api.call("POST", "travellers/\(id)/fitness", fitness)
    }

    public func rescreen(_ id: TravellerID) async throws -> TravellerRecord {
        try await api.call("POST", "travellers/\(id)/rescreen", RescreenInput())
    }

    public func preEmbarkation(_ id: TravellerID, _ check: FitnessInput) async throws -> TravellerRecord {
        try await api.call("POST", "travellers/\(id)/pre-embarkation", check)
    }

    /// `GET /screenings`: `due`, `overdue` or `on-hold`.
    public func workList(_ list: String? = nil, limit: Int? = nil, after: String? = nil) async throws -> WorkList {
        try await api.call(ServiceAPI.path("screenings", [("list", list), ("limit", limit.map(String.init)), ("after", after)]))
    }
}
