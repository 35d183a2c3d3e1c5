import Foundation
import HomewardModel
import Testing
@testable import TravelBooking
import TravelBookingAPI

/// Boundary tests of the itinerary rules, the anonymity rule and the service codes:
/// connection times at exactly the minimum and one minute under, across time zones,
/// midnight and daylight-saving changes; every forbidden code and its look-alikes.
@Suite("Itinerary rules")
struct ItineraryRulesTests {
    static let hour: Duration = .seconds(3_600)

    static func segment(
        _ flight: String = "AC96", _ from: String = "YYZ", _ to: String = "BOG",
        departs: String = "2024-06-01T23:40", _ departureZone: String = "America/Toronto",
        arrives: String = "2024-06-02T05:15", _ arrivalZone: String = "America/Bogota",
        assistance: Bool? = nil
    ) -> SegmentInput {
        SegmentInput(
            flightNumber: flight, from: from, to: to, departsLocal: departs, departureTimeZone: departureZone,
            arrivesLocal: arrives, arrivalTimeZone: arrivalZone, transitAssistance: assistance)
    }

    /// A second leg out of Bogota, departing at `departs` (Bogota time).
    static func onward(departs: String, arrives: String = "2024-06-02T09:10") -> SegmentInput {
        segment("AV9321", "BOG", "MDE", departs: departs, "America/Bogota", arrives: arrives, "America/Bogota")
    }

    /// Toronto to Bogota, departing at `departs` (Toronto time).
    static func fromToronto(departs: String, arrives: String) -> SegmentInput {
        segment("AC1000", "YYZ", "BOG", departs: departs, "America/Toronto", arrives: arrives, "America/Bogota")
    }

    static func instant(_ iso: String) -> Date {
        ISO8601DateFormatter().date(from: iso)!
    }

    static func violation(
        _ segments: [SegmentInput], minimum: Duration = hour
    ) -> ItineraryViolation? {
        do {
            _ = try ItineraryRules.resolve(segments, minimumConnection: minimum)
            return nil
        } catch {
            return error
        }
    }

    /// The instant a one-segment itinerary departs, as the rules resolve it.
    static func departure(_ segment: SegmentInput) throws -> Date {
        try ItineraryRules.resolve([segment], minimumConnection: hour)[0].departsAt
    }

    // MARK: Connections

    @Test("a connection of exactly the minimum passes, across time zones")
    func exactMinimumAcrossZones() throws {
        // Departs Toronto (UTC-4) the evening before; arrives Bogota (UTC-5) 05:15 = 10:15Z.
        let resolved = try ItineraryRules.resolve(
            [Self.segment(), Self.onward(departs: "2024-06-02T06:15")], minimumConnection: Self.hour)
        #expect(resolved.count == 2)
        #expect(resolved[0].departsAt == Self.instant("2024-06-02T03:40:00Z"))
        #expect(resolved[0].arrivesAt == Self.instant("2024-06-02T10:15:00Z"))
        #expect(resolved[1].departsAt == Self.instant("2024-06-02T11:15:00Z"))
        #expect(resolved[1].departsAt.timeIntervalSince(resolved[0].arrivesAt) == 3_600)
    }

    @Test("a connection one minute under the minimum fails at the later departure")
    func oneMinuteShort() {
        let violation = Self.violation([Self.segment(), Self.onward(departs: "2024-06-02T06:14")])
        #expect(violation?.rule == "connection-too-short")
        #expect(violation?.field == "/segments/1/departsLocal")
        #expect(violation?.detail.contains("BOG") == true)
        #expect(violation?.detail.contains("59 min available") == true)
        #expect(violation?.detail.contains("60 min required") == true)
    }

    @Test("the minimum is configuration: 90 minutes refuses a 60-minute connection")
    func configurableMinimum() {
        let violation = Self.violation(
            [Self.segment(), Self.onward(departs: "2024-06-02T06:15")], minimum: .seconds(90 * 60))
        #expect(violation?.rule == "connection-too-short")
        #expect(violation?.detail.contains("60 min available, 90 min required") == true)
    }

    @Test("a connection across midnight counts in instants", arguments: [
        ("2024-06-02T00:30", true),  // 60 minutes after a 23:30 arrival
        ("2024-06-02T00:29", false),  // 59 minutes
        ("2024-06-01T00:30", false),  // the same clock time on the wrong day: 23 hours earlier
    ])
    func acrossMidnight(departs: String, passes: Bool) {
        let first = Self.segment(
            "AV205", "MAD", "BOG", departs: "2024-06-01T18:00", "Europe/Madrid",
            arrives: "2024-06-01T23:30", "America/Bogota")
        let violation = Self.violation([first, Self.onward(departs: departs)])
        if passes {
            #expect(violation == nil)
        } else {
            #expect(violation?.rule == "connection-too-short")
            #expect(violation?.field == "/segments/1/departsLocal")
        }
    }

    @Test("a connection across a spring-forward change counts real minutes, not clock minutes")
    func connectionAcrossDaylightSaving() {
        // Arrive Toronto 01:30 EST (06:30Z); depart 03:30 EDT (07:30Z): two clock hours, one real hour.
        let first = Self.segment(
            "AC8000", "YUL", "YYZ", departs: "2024-03-10T00:30", "America/Toronto",
            arrives: "2024-03-10T01:30", "America/Toronto")
        let second = Self.fromToronto(departs: "2024-03-10T03:30", arrives: "2024-03-10T08:30")
        #expect(Self.violation([first, second]) == nil)
        let violation = Self.violation([first, second], minimum: .seconds(61 * 60))
        #expect(violation?.rule == "connection-too-short")
        #expect(violation?.detail.contains("60 min available, 61 min required") == true)
    }

    @Test("consecutive segments must connect at the same airport")
    func brokenConnection() {
        let second = Self.segment(
            "AV9321", "MDE", "CLO", departs: "2024-06-02T08:00", "America/Bogota",
            arrives: "2024-06-02T09:00", "America/Bogota")
        let violation = Self.violation([Self.segment(), second])
        #expect(violation?.rule == "broken-connection")
        #expect(violation?.field == "/segments/1/from")
        #expect(violation?.detail.contains("MDE") == true)
        #expect(violation?.detail.contains("BOG") == true)
    }

    // MARK: Times

    @Test("westbound: arriving at an earlier local clock time but a later instant passes")
    func westbound() throws {
        // Toronto 08:00 EDT = 12:00Z; Chicago 07:55 CDT = 12:55Z.
        let resolved = try ItineraryRules.resolve(
            [Self.segment("AC501", "YYZ", "ORD", departs: "2024-06-01T08:00", "America/Toronto",
                          arrives: "2024-06-01T07:55", "America/Chicago")],
            minimumConnection: Self.hour)
        #expect(resolved[0].arrivesAt.timeIntervalSince(resolved[0].departsAt) == 55 * 60)
    }

    @Test("times going backwards are refused", arguments: [
        "2024-06-01T06:55",  // 11:55Z, before the 12:00Z departure
        "2024-06-01T07:00",  // 12:00Z, the same instant: no flight takes no time
    ])
    func backwards(arrives: String) {
        let violation = Self.violation(
            [Self.segment("AC501", "YYZ", "ORD", departs: "2024-06-01T08:00", "America/Toronto",
                          arrives: arrives, "America/Chicago")])
        #expect(violation?.rule == "arrives-before-departs")
        #expect(violation?.field == "/segments/0/arrivesLocal")
    }

    @Test("a local time in a spring-forward gap is refused")
    func springForwardGap() {
        let violation = Self.violation([Self.fromToronto(departs: "2024-03-10T02:30", arrives: "2024-03-10T08:30")])
        #expect(violation?.rule == "nonexistent-local-time")
        #expect(violation?.field == "/segments/0/departsLocal")
        #expect(violation?.detail.contains("America/Toronto") == true)
    }

    @Test("the last minute before a gap and the first after it exist", arguments: [
        ("2024-03-10T01:59", "2024-03-10T06:59:00Z"),
        ("2024-03-10T03:00", "2024-03-10T07:00:00Z"),
    ])
    func aroundTheGap(departs: String, instant: String) throws {
        #expect(try Self.departure(Self.fromToronto(departs: departs, arrives: "2024-03-10T08:30")) == Self.instant(instant))
    }

    @Test("an ambiguous fall-back local time takes its first occurrence")
    func fallBackTakesFirst() throws {
        // 01:30 happens at 05:30Z (EDT) and again at 06:30Z (EST); the first is taken.
        #expect(try Self.departure(Self.fromToronto(departs: "2024-11-03T01:30", arrives: "2024-11-03T08:30"))
                == Self.instant("2024-11-03T05:30:00Z"))
        // Southern hemisphere, other direction of the year: Santiago falls back in April.
        let santiago = Self.segment("LA530", "SCL", "LIM", departs: "2024-04-06T23:30", "America/Santiago",
                                    arrives: "2024-04-07T02:00", "America/Lima")
        #expect(try Self.departure(santiago) == Self.instant("2024-04-07T02:30:00Z"))
    }

    @Test("local times parse strictly", arguments: [
        "2024-06-01 23:40", "2024-6-1T23:40", "2024-06-01T23", "2024-06-01T24:00", "2024-06-01T23:60",
        "2024-06-01T23:40:60", "2024-02-30T10:00", "2023-02-29T10:00", "2024-13-01T10:00",
        "2024-06-01T23:40Z", "2024-06-01T23:40+02:00", "2024-06-01T23:40:00.000", "", "tomorrow",
        "٢٠٢٤-٠٦-٠١T23:40",
    ])
    func badLocalTime(text: String) {
        let violation = Self.violation([Self.segment(departs: text)])
        #expect(violation?.rule == "local-time")
        #expect(violation?.field == "/segments/0/departsLocal")
    }

    @Test("seconds are optional and leap days exist")
    func goodLocalTimes() throws {
        let resolved = try ItineraryRules.resolve(
            [Self.segment(departs: "2024-02-29T23:40:30", arrives: "2024-03-01T05:15")], minimumConnection: Self.hour)
        #expect(resolved[0].departsAt == Self.instant("2024-03-01T04:40:30Z"))
        #expect(resolved[0].transitAssistance == false)
    }

    @Test("time zones are IANA Area/Location ids", arguments: [
        "EST", "GMT+5", "UTC", "Etc/GMT+5", "US/Eastern", "america/toronto", "Mars/Olympus_Mons", "", "-05:00",
    ])
    func badTimeZone(zone: String) {
        let violation = Self.violation([Self.segment(arrives: "2024-06-02T05:15", zone)])
        #expect(violation?.rule == "time-zone")
        #expect(violation?.field == "/segments/0/arrivalTimeZone")
    }

    // MARK: Codes

    @Test("airport codes are three upper-case IATA letters", arguments: ["YZ", "yyz", "YYZZ", "Y1Z", "", "YY ", "ÝYZ"])
    func badAirportCode(code: String) {
        let from = Self.violation([Self.segment("AC96", code, "BOG")])
        #expect(from?.rule == "airport-code")
        #expect(from?.field == "/segments/0/from")
        let to = Self.violation([Self.segment("AC96", "YYZ", code)])
        #expect(to?.rule == "airport-code")
        #expect(to?.field == "/segments/0/to")
    }

    @Test("a segment cannot depart from and arrive at the same airport")
    func sameAirport() {
        let violation = Self.violation([Self.segment("AC96", "YYZ", "YYZ", arrives: "2024-06-02T05:15", "America/Toronto")])
        #expect(violation?.rule == "same-airport")
    }

    @Test("good flight numbers", arguments: ["AC1", "AC96", "AC1234", "AC123A", "4U123", "U2123", "9W7"])
    func goodFlightNumber(flight: String) {
        #expect(Self.violation([Self.segment(flight)]) == nil)
    }

    @Test("bad flight numbers", arguments: ["AC", "A1", "ac96", "AC12345", "AC 96", "AC-96", "AC96AB", "ACA96", "ＡＣ96", ""])
    func badFlightNumber(flight: String) {
        let violation = Self.violation([Self.segment(flight)])
        #expect(violation?.rule == "flight-number")
        #expect(violation?.field == "/segments/0/flightNumber")
    }

    @Test("an itinerary has at least one segment")
    func noSegments() {
        #expect(Self.violation([]) == ItineraryViolation(
            rule: "no-segments", field: "/segments", detail: "an itinerary needs at least one segment"))
    }

    @Test("the first broken rule is reported, by index")
    func reportsLaterSegment() {
        let violation = Self.violation([Self.segment(), Self.onward(departs: "2024-06-02T07:00", arrives: "2024-06-02T06:00")])
        #expect(violation?.rule == "arrives-before-departs")
        #expect(violation?.field == "/segments/1/arrivesLocal")
    }

    // MARK: Anonymity

    @Test("every forbidden code is refused in any field, whatever its case", arguments: Anonymity.forbidden)
    func forbiddenRefused(code: String) {
        let variants = [code, code.lowercased(), code.capitalized, "SSR \(code.lowercased()) YY HK1", "remark/\(code)/x"]
        for (index, value) in variants.enumerated() {
            let field = "/travellers/\(index)/remarks"
            do {
                try Anonymity.check([(field: "/segments/0/flightNumber", value: "AC96"), (field: field, value: value)])
                Issue.record("'\(value)' was accepted")
            } catch {
                #expect(error.rule == "deportee-coding")
                #expect(error.field == field)
                #expect(error.detail.contains(code))
            }
        }
    }

    @Test("look-alikes are accepted", arguments: [
        "DEPARTURE", "INADEQUATE", "DEPARTS", "DEPART", "DEPOT", "departure gate 4", "Depot road",
        "ESCORTED", "MEDA", "WCHR", "DEPARTED", "INADVERTENT", "Bus depot, deputy manager",
    ])
    func lookAlikesAccepted(value: String) throws {
        try Anonymity.check([(field: "/remarks", value: value)])
    }

    @Test("a phrase is reported as itself, even across separators")
    func phrase() {
        #expect(throws: ItineraryViolation(
            rule: "deportee-coding", field: "/remarks",
            detail: "deportee coding 'ESCORTED DEPORTEE' is refused: the programme promises anonymity")
        ) {
            try Anonymity.check([(field: "/remarks", value: "escorted-deportee")])
        }
    }

    @Test("the detail never repeats the value")
    func detailOmitsValue() {
        do {
            try Anonymity.check([(field: "/remarks", value: "Maria Perez DEPU")])
            Issue.record("accepted")
        } catch {
            #expect(!error.detail.contains("Maria"))
            #expect(error.detail.contains("DEPU"))
        }
    }

    // MARK: Service codes

    @Test("each requirement maps to its booking item")
    func serviceCodes() {
        #expect(ServiceCodes.items(for: [.wheelchair]) == [BookingItem(kind: "service", code: "WCHR", escort: nil, description: "Wheelchair assistance (WCHR)")])
        #expect(ServiceCodes.items(for: [.stretcher]).map(\.code) == ["STCR"])
        #expect(ServiceCodes.items(for: [.oxygen]).map(\.code) == ["OXYG"])
        let medical = ServiceCodes.items(for: [.medicalEscort])
        #expect(medical.map(\.kind) == ["escort"])
        #expect(medical.map(\.code) == ["MEDA"])
        #expect(medical.map(\.escort) == [.medical])
        let operational = ServiceCodes.items(for: [.nonMedicalEscort])
        #expect(operational.map(\.kind) == ["escort"])
        #expect(operational.map(\.code) == [nil])
        #expect(operational.map(\.escort) == [.operational])
        #expect(ServiceCodes.items(for: []).isEmpty)
    }

    @Test("service items are deduplicated in first-seen order, and none carries deportee coding")
    func serviceCodesDeduplicated() throws {
        let items = ServiceCodes.items(for: [.oxygen, .wheelchair, .oxygen, .nonMedicalEscort, .wheelchair, .medicalEscort, .stretcher])
        #expect(items.map(\.code) == ["OXYG", "WCHR", nil, "MEDA", "STCR"])
        #expect(ServiceCodes.items(for: TravelRequirement.allCases).count == TravelRequirement.allCases.count)
        try Anonymity.check(items.flatMap { [(field: "/items/code", value: $0.code ?? ""), (field: "/items/description", value: $0.description)] })
    }
}
