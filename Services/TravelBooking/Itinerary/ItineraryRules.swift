import Foundation
import HomewardModel
import TravelBookingAPI

/// Checks a proposed itinerary and resolves its local times to instants.
///
/// Every comparison (arrival after departure, connection times) is made between
/// instants, never between wall-clock strings, because segments cross time zones,
/// midnight and daylight-saving changes. The first broken rule is reported; nothing is
/// partially accepted.
enum ItineraryRules {
    /// Zone areas of the IANA database that name places. Aliases such as "EST",
    /// "US/Eastern", "UTC" or "Etc/GMT+5" are refused: an airport's local time must be
    /// read in the zone of its location, and "Etc/GMT+5" even inverts the sign.
    private static let geographicAreas: Set<String> = [
        "Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic",
        "Australia", "Europe", "Indian", "Pacific",
    ]

    /// The zone ids the system's time zone database knows, read once.
    private static let knownZones = Set(TimeZone.knownTimeZoneIdentifiers)

    /// Validates `segments` in order and returns them resolved.
    ///
    /// A local time that falls in a spring-forward gap does not exist and is refused.
    /// A local time that occurs twice (fall-back) resolves to its FIRST occurrence, the
    /// earlier instant, in the offset in force before the change: schedules are
    /// published that way, and the earlier instant is the conservative reading for a
    /// departure a traveller must not miss.
    static func resolve(
        _ segments: [SegmentInput], minimumConnection: Duration
    ) throws(ItineraryViolation) -> [Segment] {
        guard !segments.isEmpty else {
            throw ItineraryViolation(
                rule: "no-segments", field: "/segments", detail: "an itinerary needs at least one segment")
        }
        var resolved: [Segment] = []
        for (index, input) in segments.enumerated() {
            let segment = try resolve(input, at: "/segments/\(index)")
            if let previous = resolved.last {
                try checkConnection(from: previous, to: segment, at: index, minimumConnection: minimumConnection)
            }
            resolved.append(segment)
        }
        return resolved
    }

    // MARK: One segment

    private static func resolve(_ input: SegmentInput, at pointer: String) throws(ItineraryViolation) -> Segment {
        guard isFlightNumber(input.flightNumber) else {
            throw ItineraryViolation(
                rule: "flight-number", field: "\(pointer)/flightNumber",
                detail: "flight number '\(input.flightNumber)' is not an airline designator and 1 to 4 digits")
        }
        for (name, code) in [("from", input.from), ("to", input.to)] where !isAirportCode(code) {
            throw ItineraryViolation(
                rule: "airport-code", field: "\(pointer)/\(name)",
                detail: "airport code '\(code)' is not three upper-case IATA letters")
        }
        guard input.from != input.to else {
            throw ItineraryViolation(
                rule: "same-airport", field: "\(pointer)/to",
                detail: "segment \(input.flightNumber) departs from and arrives at \(input.to)")
        }
        let departsAt = try instant(
            local: input.departsLocal, zone: input.departureTimeZone,
            localField: "\(pointer)/departsLocal", zoneField: "\(pointer)/departureTimeZone")
        let arrivesAt = try instant(
            local: input.arrivesLocal, zone: input.arrivalTimeZone,
            localField: "\(pointer)/arrivesLocal", zoneField: "\(pointer)/arrivalTimeZone")
        guard arrivesAt > departsAt else {
            throw ItineraryViolation(
                rule: "arrives-before-departs", field: "\(pointer)/arrivesLocal",
                detail: "\(input.flightNumber) arrives \(input.to) \(input.arrivesLocal) \(input.arrivalTimeZone), "
                    + "not after it departs \(input.from) \(input.departsLocal) \(input.departureTimeZone)")
        }
        return Segment(
            flightNumber: input.flightNumber, from: input.from, to: input.to,
            departsAt: departsAt, arrivesAt: arrivesAt,
            departsLocal: input.departsLocal, departureTimeZone: input.departureTimeZone,
            arrivesLocal: input.arrivesLocal, arrivalTimeZone: input.arrivalTimeZone,
            transitAssistance: input.transitAssistance ?? false)
    }

    private static func checkConnection(
        from previous: Segment, to next: Segment, at index: Int, minimumConnection: Duration
    ) throws(ItineraryViolation) {
        guard previous.to == next.from else {
            throw ItineraryViolation(
                rule: "broken-connection", field: "/segments/\(index)/from",
                detail: "segment \(index) departs \(next.from) but segment \(index - 1) arrives at \(previous.to)")
        }
        // Instants here are whole seconds, so the subtraction is exact.
        let gapSeconds = Int64((next.departsAt.timeIntervalSince1970 - previous.arrivesAt.timeIntervalSince1970).rounded())
        guard Duration.seconds(gapSeconds) >= minimumConnection else {
            let required = minimumConnection.components
            let requiredSeconds = required.seconds + (required.attoseconds > 0 ? 1 : 0)
            throw ItineraryViolation(
                rule: "connection-too-short", field: "/segments/\(index)/departsLocal",
                detail: "connection at \(next.from) from \(previous.flightNumber) to \(next.flightNumber): "
                    + "\(floorMinutes(gapSeconds)) min available, \(ceilMinutes(requiredSeconds)) min required")
        }
    }

    private static func floorMinutes(_ seconds: Int64) -> Int64 {
        seconds >= 0 ? seconds / 60 : -((-seconds + 59) / 60)
    }

    private static func ceilMinutes(_ seconds: Int64) -> Int64 {
        seconds >= 0 ? (seconds + 59) / 60 : -(-seconds / 60)
    }

    // MARK: Codes

    private static func isFlightNumber(_ text: String) -> Bool {
        // ^[A-Z0-9]{2}[0-9]{1,4}[A-Z]?$
        var bytes = Array(text.utf8)
        guard bytes.count >= 3 else { return false }
        guard bytes[0...1].allSatisfy({ isUpper($0) || isDigit($0) }) else { return false }
        if let last = bytes.last, isUpper(last) { bytes.removeLast() }
        let digits = bytes[2...]
        return (1...4).contains(digits.count) && digits.allSatisfy(isDigit)
    }

    private static func isAirportCode(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.count == 3 && bytes.allSatisfy(isUpper)
    }

    private static func isUpper(_ byte: UInt8) -> Bool { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) }
    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    // MARK: Local times

    private static func instant(
        local: String, zone: String, localField: String, zoneField: String
    ) throws(ItineraryViolation) -> Date {
        guard let wallClock = wallClockSeconds(local) else {
            throw ItineraryViolation(
                rule: "local-time", field: localField,
                detail: "local time '\(local)' is not a valid YYYY-MM-DDTHH:MM[:SS]")
        }
        guard let timeZone = ianaZone(zone) else {
            throw ItineraryViolation(
                rule: "time-zone", field: zoneField,
                detail: "time zone '\(zone)' is not an IANA Area/Location id such as America/Toronto")
        }
        // The wall clock read as if it were UTC; each offset in force within a day of it
        // is a candidate, and a candidate is real when the zone agrees with its offset at
        // the resulting instant. Zero real candidates: a gap. Two: a fall-back overlap.
        let naive = Date(timeIntervalSince1970: TimeInterval(wallClock))
        let offsets = Set([-86_400, 0, 86_400].map {
            timeZone.secondsFromGMT(for: naive.addingTimeInterval(TimeInterval($0)))
        })
        let candidates = offsets
            .map { wallClock - Int64($0) }
            .filter { timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval($0))) == Int(wallClock - $0) }
        guard let first = candidates.min() else {
            throw ItineraryViolation(
                rule: "nonexistent-local-time", field: localField,
                detail: "local time \(local) does not exist in \(zone) (clocks move forward over it)")
        }
        return Date(timeIntervalSince1970: TimeInterval(first))
    }

    private static func ianaZone(_ id: String) -> TimeZone? {
        guard let area = id.split(separator: "/", maxSplits: 1).first,
              id.contains("/"), geographicAreas.contains(String(area)),
              knownZones.contains(id)
        else { return nil }
        return TimeZone(identifier: id)
    }

    /// Seconds since 1970-01-01T00:00 of a strict "YYYY-MM-DDTHH:MM[:SS]" wall clock,
    /// or nil: ASCII digits only, no offset, no fractions, real calendar dates.
    private static func wallClockSeconds(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count == 16 || bytes.count == 19, bytes[10] == UInt8(ascii: "T"),
              let date = LocalDate(String(decoding: bytes[0..<10], as: UTF8.self))
        else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for index in range {
                guard isDigit(bytes[index]) else { return nil }
                value = value * 10 + Int64(bytes[index] - UInt8(ascii: "0"))
            }
            return value
        }
        guard bytes[13] == UInt8(ascii: ":"), let hour = number(11..<13), let minute = number(14..<16) else { return nil }
        var second: Int64 = 0
        if bytes.count == 19 {
            guard bytes[16] == UInt8(ascii: ":"), let parsed = number(17..<19) else { return nil }
            second = parsed
        }
        guard (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second) else { return nil }
        return Int64(date.daysSince1970) * 86_400 + hour * 3_600 + minute * 60 + second
    }
}
