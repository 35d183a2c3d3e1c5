/// One flight segment as a movement officer proposes it, before any checking.
///
/// Times stay as the local wall-clock strings printed on tickets ("YYYY-MM-DDTHH:MM",
/// seconds ":SS" optional) with the IANA zone of each airport, because that is what
/// officers read off schedules; ``ItineraryRules`` turns them into instants.
public struct SegmentInput: Codable, Sendable, Equatable {
    public var flightNumber: String
    public var from: String
    public var to: String
    public var departsLocal: String
    public var departureTimeZone: String
    public var arrivesLocal: String
    public var arrivalTimeZone: String
    /// Whether the traveller needs assistance in transit; absent means no.
    public var transitAssistance: Bool?
    public init(flightNumber: String, from: String, to: String, departsLocal: String, departureTimeZone: String, arrivesLocal: String,
                arrivalTimeZone: String, transitAssistance: Bool? = nil) {
        self.flightNumber = flightNumber; self.from = from; self.to = to; self.departsLocal = departsLocal
        self.departureTimeZone = departureTimeZone; self.arrivesLocal = arrivesLocal; self.arrivalTimeZone = arrivalTimeZone
        self.transitAssistance = transitAssistance
    }
}
