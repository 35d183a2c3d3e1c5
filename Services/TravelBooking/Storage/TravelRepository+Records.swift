import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore
import TravelBookingAPI

/// Movement officers' reads: a case with its readiness and bookings, one booking, the
/// work lists, a flight's manifest.
extension TravelRepository {
    static func booking(_ id: BookingID, in db: Database) throws -> BookingView? {
        try Row.fetchOne(db, sql: "SELECT \(columns) FROM travel_booking WHERE booking_id = ?", arguments: [id.rawValue]).map(view)
    }

    static func bookings(_ caseID: CaseID, in db: Database) throws -> [BookingView] {
        try Row.fetchAll(db, sql: "SELECT \(columns) FROM travel_booking WHERE case_id = ? ORDER BY created_at", arguments: [caseID.rawValue]).map(view)
    }

    /// Whether the case can be booked at `now`, and why not.
    static func readiness(_ caseID: CaseID, at now: Date, in db: Database) throws -> Readiness {
        guard let facts = try facts(of: caseID, in: db) else { return Readiness(nil, travellers: [], at: now) }
        return Readiness(facts, travellers: try travellers(caseID, in: db), at: now)
    }

    static func caseView(_ caseID: CaseID, at now: Date, in db: Database) throws -> TravelCaseView? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT status, return_country, return_city, target_departure_by FROM travel_case WHERE case_id = ?"),
                                         arguments: [caseID.rawValue]) else { return nil }
        let readiness = try readiness(caseID, at: now, in: db)
        let erased = (row[0] as String) == TravelCaseStatus.erased.rawValue
        return TravelCaseView(
            caseID: caseID, status: row[0], returnCountry: row[1], returnCity: row[2],
            targetDepartureBy: (row[3] as Double?).map(Date.init(timeIntervalSince1970:)), bookable: readiness.bookable,
            notBookableBecause: readiness.reasons,
            travellers: try travellers(caseID, in: db).map {
                TravellerView(travellerID: $0.travellerID, familyRole: $0.familyRole, travelDocumentStatus: $0.documentStatus, clearance: $0.clearance.rawValue,
                              validFrom: $0.validFrom, validUntil: $0.validUntil, travelRequirements: erased ? nil : $0.travelRequirements,
                              orientation: $0.orientation)
            },
            bookings: try bookings(caseID, in: db))
    }

    /// The movement officers' work lists: `bookable` (active cases ready to book with no
    /// proposed or confirmed booking), or the cases whose booking is `proposed`, `confirmed`,
    /// `on-hold` or `departed` (in transit): at most `page.limit + 1` lines after its cursor,
    /// each with its place in the list's order.
    static func workList(_ list: TravelWorkList.Name, returnCountry: String?, at now: Date,
                         page: PageRequest, in db: Database) throws -> [(key: PageKey, line: TravelWorkList.Line)] {
        var arguments: StatementArguments = []
        var filter = ""
        if let returnCountry { filter += " AND c.return_country = ?"; arguments += [returnCountry] }
        let after = page.after.flatMap { key in key.number(0).flatMap { n in key.text(1).map { (n, $0) } } }
        guard list != .bookable else {
            // Readiness is worked out per case, so the cases are read in order until the page is full.
            let target = "COALESCE(c.target_departure_by, \(Double.greatestFiniteMagnitude))"
            if let (n, id) = after { filter += " AND (\(target), c.case_id) > (?, ?)"; arguments += [n, id] }
            var lines: [(key: PageKey, line: TravelWorkList.Line)] = []
            let rows = try Row.fetchCursor(db, sql: """
                SELECT c.case_id, c.return_country, c.target_departure_by FROM travel_case c
                WHERE c.status = 'active'\(filter)
                  AND NOT EXISTS (SELECT 1 FROM travel_booking b WHERE b.case_id = c.case_id AND b.status IN ('proposed', 'confirmed'))
                ORDER BY \(target), c.case_id
                """, arguments: arguments)
            while lines.count <= page.limit, let row = try rows.next() {
                let caseID = CaseID(row[0] as String)
                guard try readiness(caseID, at: now, in: db).bookable else { continue }
                let target = (row[2] as Double?).map(Date.init(timeIntervalSince1970:))
                lines.append((PageKey(.number(target?.timeIntervalSince1970 ?? .greatestFiniteMagnitude), .text(caseID.rawValue)),
                              TravelWorkList.Line(caseID: caseID, returnCountry: row[1], targetDepartureBy: target)))
            }
            return lines
        }
        if let (n, id) = after { filter += " AND (b.departure_at, b.booking_id) > (?, ?)"; arguments += [n, id] }
        return try Row.fetchAll(db, sql: """
            SELECT c.case_id, c.return_country, c.target_departure_by, b.booking_id, b.departure_at FROM travel_booking b
            JOIN travel_case c USING (case_id) WHERE b.status = ?\(filter) ORDER BY b.departure_at, b.booking_id LIMIT ?
            """, arguments: [list.rawValue] + arguments + [page.limit + 1]).map { row in
            let booking = BookingID(row[3] as String)
            let departure = Date(timeIntervalSince1970: row[4])
            return (PageKey(.number(departure.timeIntervalSince1970), .text(booking.rawValue)),
                    TravelWorkList.Line(caseID: CaseID(row[0] as String), returnCountry: row[1],
                                        targetDepartureBy: (row[2] as Double?).map(Date.init(timeIntervalSince1970:)),
                                        bookingID: booking, bookingStatus: list.rawValue, departureAt: departure))
        }
    }

    /// Everyone on a flight that departs on `date` (local date of that segment's departure),
    /// from confirmed, departed and arrived bookings. The services and escorts come from
    /// health's requirements: each passenger's go to the airline on their case's consent
    /// to processing or an exception in force at `now` (``SharingGate``), named in
    /// `itemsBasis`; without either they are withheld.
    static func manifest(flightNumber: String, date: LocalDate, now: Date, in db: Database) throws -> Manifest {
        var passengers: [Manifest.Passenger] = []
        for booking in try Row.fetchAll(db, sql: "SELECT \(columns) FROM travel_booking WHERE status IN ('confirmed', 'departed', 'arrived') ORDER BY departure_at")
            .map(view) {
            guard let segment = booking.segments.first(where: { $0.flightNumber == flightNumber && $0.departsLocal.hasPrefix(date.description) }) else { continue }
            let family = Dictionary(uniqueKeysWithValues: try travellers(booking.caseID, in: db).map { ($0.travellerID, $0) })
            let basis = try SharingGate.basisInForce(for: .manifest, of: booking.caseID, at: now, in: db)
            for traveller in booking.travellerIDs {
                let items = ServiceCodes.items(for: family[traveller]?.travelRequirements ?? [])
                passengers.append(Manifest.Passenger(
                    bookingID: booking.bookingID, caseID: booking.caseID, travellerID: traveller,
                    familyRole: family[traveller]?.familyRole ?? .otherRelative, from: segment.from, to: segment.to, departsLocal: segment.departsLocal,
                    items: basis == nil ? [] : items, itemsBasis: items.isEmpty ? nil : basis?.name, itemsWithheld: basis == nil && !items.isEmpty))
            }
        }
        return Manifest(flightNumber: flightNumber, date: date, passengers: passengers)
    }

    private static let columns = """
        booking_id, case_id, status, traveller_ids, segments, hw_open(items, 'travel_booking.items'), departure_at, arrival_at,
        hw_open(remarks, 'travel_booking.remarks'), hw_open(late_departure_reason, 'travel_booking.late_departure_reason'), rebooking_of,
        reason, departed_at, arrived_at, transits
        """

    private static func view(_ row: Row) throws -> BookingView {
        BookingView(
            bookingID: BookingID(row[0] as String), caseID: CaseID(row[1] as String), status: row[2],
            travellerIDs: try StoredJSON.value([TravellerID].self, row[3]), segments: try StoredJSON.value([Segment].self, row[4]),
            items: try StoredJSON.erasable([BookingItem].self, row[5]), departureAt: Date(timeIntervalSince1970: row[6]),
            arrivalAt: Date(timeIntervalSince1970: row[7]), remarks: row[8], lateDepartureReason: row[9],
            rebookingOf: (row[10] as String?).map { BookingID($0) }, reason: row[11],
            departedAt: (row[12] as Double?).map(Date.init(timeIntervalSince1970:)), arrivedAt: (row[13] as Double?).map(Date.init(timeIntervalSince1970:)),
            transits: try StoredJSON.value([BookingView.Transit].self, row[14]))
    }
}
