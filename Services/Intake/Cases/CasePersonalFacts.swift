import HomewardModel
import IntakeAPI

/// The case's own personal facts as a correction patches them (``RecordCorrection``),
/// named as at registration.
struct CasePersonalFacts: Codable, Equatable {
    var currentLocation: Location
    var immigration: ImmigrationFacts
    var vulnerabilities: [Vulnerability]?

    /// The facts eligibility is decided on.
    static let eligibilityFacts: Set<String> = ["currentLocation", "immigration"]
}

extension TravellerInput {
    /// A traveller as recorded, in the shape of registration; nil once erased.
    init?(recorded traveller: TravellerView) {
        guard let givenName = traveller.givenName, let familyName = traveller.familyName, let dateOfBirth = traveller.dateOfBirth,
              let nationality = traveller.nationality else { return nil }
        self.init(givenName: givenName, familyName: familyName, dateOfBirth: dateOfBirth, sex: traveller.sex, nationality: nationality,
                  relationship: traveller.familyRole, languages: traveller.languages ?? [], travelDocumentStatus: traveller.travelDocumentStatus)
    }
}
