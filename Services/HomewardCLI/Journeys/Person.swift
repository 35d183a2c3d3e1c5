import HomewardModel
import IntakeAPI

/// A traveller as intake registers them.
struct Person: Sendable {
    var givenName: String
    var familyName: String
    /// `YYYY-MM-DD`.
    var dateOfBirth: String
    var sex: String
    var nationality: String
    /// `principal`, `spouse-or-partner`, `child`, `parent`, …
    var relationship: String
    var languages: [String]
    var travelDocumentStatus = "valid"

    /// The traveller as `POST /cases` takes it; the principal names no relationship.
    var input: TravellerInput {
        TravellerInput(givenName: givenName, familyName: familyName, dateOfBirth: LocalDate(dateOfBirth)!, sex: Sex(rawValue: sex)!,
                       nationality: nationality, relationship: relationship == "principal" ? nil : FamilyRole(rawValue: relationship)!,
                       languages: languages, travelDocumentStatus: TravelDocumentStatus(rawValue: travelDocumentStatus)!)
    }

    var name: String { "\(givenName) \(familyName)" }
}
