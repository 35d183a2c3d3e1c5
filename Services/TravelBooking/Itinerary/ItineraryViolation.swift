/// Why an itinerary or a booking field was refused, shaped for a problem document: the
/// rule id, a JSON pointer to the offending field, and a detail naming only codes and
/// times (itineraries carry no personal data, and refusals must not add any).
struct ItineraryViolation: Error, Equatable, Sendable {
    /// A stable rule id such as `connection-too-short`.
    var rule: String
    /// A JSON pointer into the request, such as `/segments/1/departsLocal`.
    var field: String
    var detail: String
}
