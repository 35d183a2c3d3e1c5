import Foundation

/// A segment that passed ``ItineraryRules``: it keeps the local times as proposed (for
/// tickets and manifests) next to the instants they resolve to (for every comparison),
/// so no rule ever compares wall-clock strings across time zones.
struct Segment: Codable, Sendable, Equatable {
    var flightNumber: String
    var from: String
    var to: String
    /// The departure instant; an ambiguous local time resolves to its first occurrence.
    var departsAt: Date
    /// The arrival instant; an ambiguous local time resolves to its first occurrence.
    var arrivesAt: Date
    var departsLocal: String
    var departureTimeZone: String
    var arrivesLocal: String
    var arrivalTimeZone: String
    var transitAssistance: Bool
}
