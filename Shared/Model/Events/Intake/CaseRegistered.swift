/// A case was registered: who travels together, and where to.
///
/// Consumers: travel booking (the family an itinerary must carry, and whether each
/// traveller holds a valid travel document), reintegration (the country of return).
/// Names, dates of birth, immigration facts and vulnerabilities stay in intake.
public struct CaseRegistered: EventPayload {
    public static let eventType = EventType("intake.case-registered", major: 1)

    /// The programme's configuration id (for example `ca-gta-pilot`).
    public var programmeID: String
    /// Every traveller of the family, the principal applicant included.
    public var travellers: [Traveller]
    /// ISO 3166-1 alpha-2 code of the country of return.
    public var returnCountry: String
    /// The city of return, when known at registration (the final destination).
    public var returnCity: String?

    public init(programmeID: String, travellers: [Traveller], returnCountry: String, returnCity: String? = nil) {
        self.programmeID = programmeID
        self.travellers = travellers
        self.returnCountry = returnCountry
        self.returnCity = returnCity
    }

    /// One traveller, as travel booking needs them.
    public struct Traveller: Hashable, Codable, Sendable {
        public var travellerID: TravellerID
        public var familyRole: FamilyRole
        public var travelDocumentStatus: TravelDocumentStatus

        public init(travellerID: TravellerID, familyRole: FamilyRole, travelDocumentStatus: TravelDocumentStatus) {
            self.travellerID = travellerID
            self.familyRole = familyRole
            self.travelDocumentStatus = travelDocumentStatus
        }
    }
}
