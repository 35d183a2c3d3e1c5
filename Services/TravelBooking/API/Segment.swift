public import Foundation

/// A segment that passed ``ItineraryRules``: it keeps the local times as proposed (for
/// tickets and manifests) next to the instants they resolve to (for every comparison),
/// so no rule ever compares wall-clock strings across time zones.
public struct Segment: Codable, Sendable, Equatable {
    public var flightNumber: String
    public var from: String
    public var to: String
    /// The departure instant; an ambiguous local time resolves to its first occurrence.
    public var departsAt: Date
    /// The arrival instant; an ambiguous local time resolves to its first occurrence.
    public var arrivesAt: Date
    public var departsLocal: String
    public var departureTimeZone: String
    public var arrivesLocal: String
    public var arrivalTimeZone: String
    public var transitAssistance: Bool
    public init(flightNumber: String, from: String, to: String, departsAt: Date, arrivesAt: Date, departsLocal: String, departureTimeZone: String,
                arrivesLocal: String, arrivalTimeZone: String, transitAssistance: Bool) {
        self.flightNumber = flightNumber; self.from = from; self.to = to; self.departsAt = departsAt; self.arrivesAt = arrivesAt
        self.departsLocal = departsLocal; self.departureTimeZone = departureTimeZone; self.arrivesLocal = arrivesLocal
        self.arrivalTimeZone = arrivalTimeZone; self.transitAssistance = transitAssistance
    }
}
