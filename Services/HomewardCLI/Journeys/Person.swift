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

    var json: JSON {
        var object: [String: JSON] = [
            "givenName": JSON(givenName), "familyName": JSON(familyName), "dateOfBirth": JSON(dateOfBirth), "sex": JSON(sex),
            "nationality": JSON(nationality), "languages": JSON(languages), "travelDocumentStatus": JSON(travelDocumentStatus),
        ]
        if relationship != "principal" { object["relationship"] = JSON(relationship) }
        return .object(object)
    }

    var name: String { "\(givenName) \(familyName)" }
}
