import Foundation
import TravelBookingAPI

/// An itinerary the movement officer books: flights with IATA airport codes, flight
/// numbers and each airport's IANA time zone, timed from the first departure.
struct Route: Sendable {
    struct Leg: Sendable {
        var flight: String
        var from: String
        var to: String
        var fromZone: String
        var toZone: String
        /// From the first departure to this leg's departure.
        var departsAfter: TimeInterval
        var duration: TimeInterval
        var transitAssistance = false
    }

    var legs: [Leg]
    /// Where the family lands, for progress lines.
    var description: String
    /// The first leg's scheduled local departure time in its zone (hour, minute).
    var scheduled: (hour: Int, minute: Int) = (8, 0)

    /// The first scheduled departure at least `hours` after `now`: between `hours` and
    /// `hours + 24` hours ahead (the pre-embarkation check is due 72 to 24 hours before).
    func departure(after now: Date, atLeast hours: Double = 26) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: legs[0].fromZone)!
        let earliest = now.addingTimeInterval(hours * 3_600)
        var day = calendar.startOfDay(for: earliest)
        while true {
            if let candidate = calendar.date(bySettingHour: scheduled.hour, minute: scheduled.minute, second: 0, of: day), candidate >= earliest {
                return candidate
            }
            day = calendar.date(byAdding: .day, value: 1, to: day)!
        }
    }

    /// The same route with another flight number on the first leg (a later flight, for a rebooking).
    func rebooked(flight: String) -> Route {
        var route = self
        route.legs[0].flight = flight
        return route
    }

    /// The booking's segments for a first departure at `departure`, in local wall-clock time.
    func segments(departing departure: Date) -> [SegmentInput] {
        legs.map { leg in
            let departs = departure.addingTimeInterval(leg.departsAfter)
            return SegmentInput(flightNumber: leg.flight, from: leg.from, to: leg.to, departsLocal: Instants.local(departs, leg.fromZone),
                                departureTimeZone: leg.fromZone, arrivesLocal: Instants.local(departs.addingTimeInterval(leg.duration), leg.toZone),
                                arrivalTimeZone: leg.toZone, transitAssistance: leg.transitAssistance ? true : nil)
        }
    }

    /// The connection airports, in order.
    var transits: [String] { legs.dropLast().map(\.to) }

    static let hour: TimeInterval = 3_600

    /// Toronto to Mexico City, Air Canada, direct.
    static let mexicoCity = Route(legs: [
        Leg(flight: "AC991", from: "YYZ", to: "MEX", fromZone: "America/Toronto", toZone: "America/Mexico_City", departsAfter: 0, duration: 4.6 * hour),
    ], description: "Toronto → Mexico City", scheduled: (8, 25))

    /// Toronto to Medellín through Bogotá, Avianca, with transit assistance at Bogotá.
    static let medellin = Route(legs: [
        Leg(flight: "AV205", from: "YYZ", to: "BOG", fromZone: "America/Toronto", toZone: "America/Bogota", departsAfter: 0, duration: 5.5 * hour),
        Leg(flight: "AV9321", from: "BOG", to: "MDE", fromZone: "America/Bogota", toZone: "America/Bogota", departsAfter: 7.5 * hour,
            duration: 1 * hour, transitAssistance: true),
    ], description: "Toronto → Bogotá → Medellín", scheduled: (9, 5))

    /// Toronto to Budapest through Warsaw, LOT, overnight.
    static let budapest = Route(legs: [
        Leg(flight: "LO42", from: "YYZ", to: "WAW", fromZone: "America/Toronto", toZone: "Europe/Warsaw", departsAfter: 0, duration: 8.75 * hour),
        Leg(flight: "LO535", from: "WAW", to: "BUD", fromZone: "Europe/Warsaw", toZone: "Europe/Budapest", departsAfter: 11 * hour,
            duration: 1.25 * hour),
    ], description: "Toronto → Warsaw → Budapest", scheduled: (17, 40))

    /// Toronto to San Pedro Sula through Panama City, Copa.
    static let sanPedroSula = Route(legs: [
        Leg(flight: "CM473", from: "YYZ", to: "PTY", fromZone: "America/Toronto", toZone: "America/Panama", departsAfter: 0, duration: 5.25 * hour),
        Leg(flight: "CM274", from: "PTY", to: "SAP", fromZone: "America/Panama", toZone: "America/Tegucigalpa", departsAfter: 7 * hour,
            duration: 2.25 * hour, transitAssistance: true),
    ], description: "Toronto → Panama City → San Pedro Sula", scheduled: (6, 50))

    /// Toronto to Bogotá, Avianca, direct.
    static let bogota = Route(legs: [
        Leg(flight: "AV205", from: "YYZ", to: "BOG", fromZone: "America/Toronto", toZone: "America/Bogota", departsAfter: 0, duration: 5.5 * hour),
    ], description: "Toronto → Bogotá", scheduled: (9, 5))
}
