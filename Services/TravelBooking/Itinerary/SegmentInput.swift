/// One flight segment as a movement officer proposes it, before any checking.
///
/// Times stay as the local wall-clock strings printed on tickets ("YYYY-MM-DDTHH:MM",
/// seconds ":SS" optional) with the IANA zone of each airport, because that is what
/// officers read off schedules; ``ItineraryRules`` turns them into instants.
struct SegmentInput: Codable, Sendable, Equatable {
    var flightNumber: String
    var from: String
    var to: String
    var departsLocal: String
    var departureTimeZone: String
    var arrivesLocal: String
    var arrivalTimeZone: String
    /// Whether the traveller needs assistance in transit; absent means no.
    var transitAssistance: Bool?
}
