import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore
import HTTPTypes

/// What travel booking does, each operation in one write transaction: state, then
/// outbox events, or a problem naming the rule and nothing written.
struct TravelWorkflow: Sendable {
    let minimumConnection: Duration
    let clock: @Sendable () -> Date
    var schedule = ScheduleWindows.standard

    static let handledEvents: [any EventPayload.Type] = ServiceName.travelBooking.consumes

    // MARK: Reacting to intake and health

    /// Intake's and health's topics are read together and nothing orders one against the
    /// other: a clearance may arrive before the registration. So case and traveller rows
    /// are created by whichever event names them first; readiness waits for registration.
    func apply(_ event: ReceivedEvent, in db: Database) throws {
        let id = event.caseID.rawValue
        let now = event.time.timeIntervalSince1970
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO travel_case (case_id, status, return_country, updated_at) VALUES (?, 'active', '', ?)").execute(arguments: [id, now])
        switch event.payload {
        case let e as CaseRegistered:
            try db.execute(sql: "UPDATE travel_case SET registered = 1, return_country = ?, return_city = ?, updated_at = ? WHERE case_id = ?",
                           arguments: [e.returnCountry, e.returnCity, now, id])
            for (position, t) in e.travellers.enumerated() {
                try db.cachedStatement(sql: """
                    INSERT INTO travel_traveller (traveller_id, case_id, position, family_role, document_status, clearance, requirements)
                    VALUES (?, ?, ?, ?, ?, 'none', hw_seal('[]', 'travel_traveller.requirements'))
                    ON CONFLICT(traveller_id) DO UPDATE SET position = excluded.position, family_role = excluded.family_role,
                        document_status = excluded.document_status
                    """).execute(arguments: [t.travellerID.rawValue, id, position, t.familyRole.rawValue, t.travelDocumentStatus.rawValue])
            }
        case let e as EligibilityDecided:
            try db.execute(sql: "UPDATE travel_case SET eligible = ?, target_departure_by = ?, updated_at = ? WHERE case_id = ?",
                           arguments: [e.eligible, e.targetDepartureBy?.timeIntervalSince1970, now, id])
        case is ReadyForScreening:
            try db.cachedStatement(sql: "UPDATE travel_case SET declared = 1, updated_at = ? WHERE case_id = ?").execute(arguments: [now, id])
        case is CaseWithdrawn, is EligibilityRevoked:
            let reason: BookingCancellationReason = event.payload is CaseWithdrawn ? .caseWithdrawn : .eligibilityRevoked
            try db.execute(sql: "UPDATE travel_case SET status = ?, updated_at = ? WHERE case_id = ?",
                           arguments: [event.payload is CaseWithdrawn ? "withdrawn" : "revoked", now, id])
            for booking in try activeBookings(event.caseID, statuses: ["proposed", "confirmed", "on-hold"], in: db) {
                try setStatus(booking, "cancelled", reason: reason.rawValue, at: event.time, in: db)
                try Outbox.append(event.causing(BookingCancelled(bookingID: booking, reason: reason), time: event.time), in: db)
            }
        case let e as ClearanceIssued:
            try ensureTraveller(e.travellerID, of: id, in: db)
            try db.execute(sql: "UPDATE travel_traveller SET clearance = 'valid', valid_from = ?, valid_until = ?, requirements = hw_seal(?, 'travel_traveller.requirements') WHERE traveller_id = ?",
                           arguments: [e.validFrom.timeIntervalSince1970, e.validUntil.timeIntervalSince1970, try Self.json(e.travelRequirements), e.travellerID.rawValue])
        case let e as ClearanceLapsed:
            try ensureTraveller(e.travellerID, of: id, in: db)
            try db.cachedStatement(sql: "UPDATE travel_traveller SET clearance = 'lapsed' WHERE traveller_id = ?").execute(arguments: [e.travellerID.rawValue])
            try holdBookings(of: event, travellers: [e.travellerID], reason: .clearanceLapsed, until: nil, in: db)
        case let e as HoldPlaced:
            try ensureTraveller(e.travellerID, of: id, in: db)
            try db.cachedStatement(sql: "UPDATE travel_traveller SET clearance = 'on-hold' WHERE traveller_id = ?").execute(arguments: [e.travellerID.rawValue])
            try holdBookings(of: event, travellers: [e.travellerID], reason: .healthHold, until: e.holdUntil, in: db)
        case let e as ClearanceRefused:
            try ensureTraveller(e.travellerID, of: id, in: db)
            try db.cachedStatement(sql: "UPDATE travel_traveller SET clearance = 'not-cleared' WHERE traveller_id = ?").execute(arguments: [e.travellerID.rawValue])
            try holdBookings(of: event, travellers: [e.travellerID], reason: .travellerNotCleared, until: nil, in: db)
        case let e as PreEmbarkationCheckDone:
            try ensureTraveller(e.travellerID, of: id, in: db)
            try db.execute(sql: "INSERT OR REPLACE INTO travel_precheck (traveller_id, booking_id, outcome) VALUES (?, ?, ?)",
                           arguments: [e.travellerID.rawValue, e.bookingID.rawValue, e.outcome.rawValue])
            if e.outcome == .onHold || e.outcome == .notCleared {
                try holdBookings(of: event, travellers: [e.travellerID], reason: .preEmbarkationCheckNotPassed, until: e.holdUntil, in: db)
            }
        case is PersonalDataErased:
            try Self.erase(event.caseID, at: event.time, in: db)
            try IdempotentAnswer.forget(caseID: event.caseID.rawValue, in: db)
        default:
            throw EventRejected("travel booking has no reaction to \(event.type)")
        }
    }

    /// Erases the case's personal data: travel requirements, special-service items,
    /// remarks and late-departure reasons. Kept: ids, roles, document statuses, clearance
    /// windows, the itinerary and the bookings' statuses and times. The case is `erased`,
    /// so it is never booked again.
    static func erase(_ caseID: CaseID, at now: Date, in db: Database) throws {
        try db.cachedStatement(sql: "UPDATE travel_traveller SET requirements = '' WHERE case_id = ?").execute(arguments: [caseID.rawValue])
        try db.execute(sql: "UPDATE travel_booking SET items = '', remarks = NULL, late_departure_reason = NULL WHERE case_id = ?",
                       arguments: [caseID.rawValue])
        try db.execute(sql: "UPDATE travel_case SET status = 'erased', updated_at = ? WHERE case_id = ?",
                       arguments: [now.timeIntervalSince1970, caseID.rawValue])
    }

    /// A health problem of one traveller puts the family's booking on hold: it asks for a
    /// re-screen, and a new clearance lets the family be rebooked.
    private func holdBookings(of event: ReceivedEvent, travellers: [TravellerID], reason: BookingHoldReason, until: Date?, in db: Database) throws {
        for booking in try activeBookings(event.caseID, statuses: ["proposed", "confirmed"], in: db) {
            try setStatus(booking, "on-hold", reason: reason.rawValue, at: event.time, in: db)
            try Outbox.append(event.causing(BookingOnHold(bookingID: booking, reason: reason, travellerIDs: travellers, holdUntil: until), time: event.time), in: db)
        }
    }

    // MARK: Readiness

    struct Readiness {
        var bookable: Bool { reasons.isEmpty }
        var reasons: [String]
    }

    func readiness(_ caseID: CaseID, at now: Date, in db: Database) throws -> Readiness {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT status, eligible, declared, registered FROM travel_case WHERE case_id = ?"), arguments: [caseID.rawValue]) else {
            return Readiness(reasons: ["the case is unknown to travel booking"])
        }
        var reasons: [String] = []
        if (row[3] as Bool?) != true { reasons.append("the registration has not reached travel booking yet") }
        let status: String = row[0]
        if status != "active" { reasons.append(status == "arrived" ? "the family has already arrived" : "the case is \(status)") }
        if (row[1] as Bool?) != true { reasons.append("the case is not (yet) eligible") }
        if (row[2] as Bool?) != true { reasons.append("the informed-choice declaration, consent or eligibility is not complete at intake") }
        for t in try travellers(caseID, in: db) {
            switch t.clearance {
            case "valid" where (t.validUntil ?? .distantPast) > now: break
            case "valid", "lapsed": reasons.append("\(t.travellerID): clearance has lapsed")
            case "none": reasons.append("\(t.travellerID): not cleared to travel yet")
            default: reasons.append("\(t.travellerID): \(t.clearance)")
            }
        }
        return Readiness(reasons: reasons)
    }

    // MARK: Movement officers' actions

    func propose(_ caseID: CaseID, _ request: BookingRequest, in db: Database) throws -> BookingID {
        let now = clock()
        try required(request.recordedBy, "/recordedBy")
        guard try caseExists(caseID, in: db) else { throw problem(.notFound, "unknown-case", nil, "no case with this id in travel booking") }
        do {
            try Anonymity.check([(field: "/remarks", value: request.remarks ?? ""), (field: "/lateDepartureReason", value: request.lateDepartureReason ?? "")]
                + request.segments.enumerated().map { (field: "/segments/\($0.offset)/flightNumber", value: $0.element.flightNumber) })
        } catch {
            throw problem(.unprocessableContent, error.rule, error.field, error.detail)
        }
        let readiness = try readiness(caseID, at: now, in: db)
        guard readiness.bookable else {
            throw problem(.conflict, "not-bookable", nil, "the case cannot be booked: " + readiness.reasons.joined(separator: "; "))
        }
        let family = try travellers(caseID, in: db)
        let wanted = Set(request.travellerIDs)
        for (i, t) in request.travellerIDs.enumerated() where !family.contains(where: { $0.travellerID == t }) {
            throw problem(.unprocessableContent, "unknown-traveller", "/travellerIDs/\(i)", "\(t) is not a traveller of this case")
        }
        let missing = family.map(\.travellerID).filter { !wanted.contains($0) }
        guard missing.isEmpty, wanted.count == request.travellerIDs.count else {
            throw problem(.unprocessableContent, "family-split", "/travellerIDs",
                          "the family travels as one unit on one itinerary; left out: \(missing.map(\.rawValue).joined(separator: ", "))")
        }
        let segments: [Segment]
        do {
            segments = try ItineraryRules.resolve(request.segments, minimumConnection: minimumConnection)
        } catch {
            throw problem(.unprocessableContent, error.rule, error.field, error.detail)
        }
        let departure = segments.first!.departsAt, arrival = segments.last!.arrivesAt
        guard departure > now else { throw problem(.unprocessableContent, "departure-in-past", "/segments/0/departsLocal", "the departure is in the past") }
        for t in family where !((t.validFrom ?? .distantFuture) <= departure && departure <= (t.validUntil ?? .distantPast)) {
            throw problem(.unprocessableContent, "outside-clearance-window", "/segments/0/departsLocal",
                          "the departure falls outside \(t.travellerID)'s clearance (\(t.validFrom.map(Instant.format) ?? "-") to \(t.validUntil.map(Instant.format) ?? "-"))")
        }
        if let target = try Double.fetchOne(db.cachedStatement(sql: "SELECT target_departure_by FROM travel_case WHERE case_id = ?"), arguments: [caseID.rawValue]),
           departure.timeIntervalSince1970 > target,
           (request.lateDepartureReason ?? "").isBlank {
            throw problem(.unprocessableContent, "after-target-date", "/lateDepartureReason",
                          "the departure is after the programme's target date \(Instant.format(Date(timeIntervalSince1970: target))); record why")
        }
        if let active = try activeBookings(caseID, statuses: ["proposed", "confirmed"], in: db).first {
            throw problem(.conflict, "booking-exists", nil, "booking \(active) is active; cancel it or wait for a hold to rebook")
        }
        let previous = try activeBookings(caseID, statuses: ["on-hold"], in: db).first
        let items = ServiceCodes.items(for: Array(Set(family.flatMap(\.travelRequirements))).sorted { $0.rawValue < $1.rawValue })
        let bookingID = BookingID("BK-" + UUID().uuidString.prefix(8).lowercased())
        try db.cachedStatement(sql: """
            INSERT INTO travel_booking (booking_id, case_id, status, segments, items, traveller_ids, departure_at, arrival_at, remarks,
                late_departure_reason, rebooking_of, created_by, created_at, updated_at)
            VALUES (?, ?, 'proposed', ?, hw_seal(?, 'travel_booking.items'), ?, ?, ?, hw_seal(?, 'travel_booking.remarks'),
                    hw_seal(?, 'travel_booking.late_departure_reason'), ?, ?, ?, ?)
            """).execute(arguments: [bookingID.rawValue, caseID.rawValue, try Self.json(segments), try Self.json(items), try Self.json(family.map(\.travellerID)),
                             departure.timeIntervalSince1970, arrival.timeIntervalSince1970, request.remarks, request.lateDepartureReason,
                             previous?.rawValue, request.recordedBy, now.timeIntervalSince1970, now.timeIntervalSince1970])
        var events = ActionEvents(caseID: caseID, db: db, now: now)
        if let previous {
            try setStatus(previous, "cancelled", reason: BookingCancellationReason.rebooked.rawValue, at: now, in: db)
            try events.publish(BookingCancelled(bookingID: previous, reason: .rebooked))
        }
        try events.publish(BookingProposed(bookingID: bookingID, travellerIDs: family.map(\.travellerID), departureAt: departure, arrivalAt: arrival,
                                           rebookingOf: previous))
        return bookingID
    }

    func confirm(_ bookingID: BookingID, _ input: ConfirmationInput, in db: Database) throws {
        let now = clock()
        try required(input.recordedBy, "/recordedBy")
        let booking = try self.booking(bookingID, in: db)
        guard booking.status == "proposed" else {
            throw problem(.conflict, booking.status == "cancelled" ? "booking-cancelled" : "not-proposed", nil, "the booking is \(booking.status)")
        }
        let family = try travellers(booking.caseID, in: db)
        let invalid = family.filter { $0.documentStatus != .valid }
        guard invalid.isEmpty else {
            throw problem(.conflict, "travel-document-invalid", nil,
                          "travel documents are not valid for: " + invalid.map { "\($0.travellerID) (\($0.documentStatus.rawValue))" }.joined(separator: ", "))
        }
        let readiness = try readiness(booking.caseID, at: now, in: db)
        guard readiness.bookable else { throw problem(.conflict, "not-bookable", nil, readiness.reasons.joined(separator: "; ")) }
        guard booking.departureAt > now else { throw problem(.conflict, "departure-in-past", nil, "the proposed departure has passed; propose again") }
        for t in family where !((t.validFrom ?? .distantFuture) <= booking.departureAt && booking.departureAt <= (t.validUntil ?? .distantPast)) {
            throw problem(.conflict, "outside-clearance-window", nil, "the departure now falls outside \(t.travellerID)'s clearance; propose again")
        }
        try setStatus(bookingID, "confirmed", reason: nil, at: now, in: db)
        let last = booking.segments.last!
        var events = ActionEvents(caseID: booking.caseID, db: db, now: now)
        try events.publish(BookingConfirmed(bookingID: bookingID, travellerIDs: booking.travellerIDs, departureAt: booking.departureAt,
                                            arrivalAt: booking.arrivalAt, arrivalAirport: last.to, arrivalFlightNumber: last.flightNumber))
    }

    func depart(_ bookingID: BookingID, _ input: DepartureInput, in db: Database) throws {
        let now = clock()
        try required(input.recordedBy, "/recordedBy")
        let booking = try self.booking(bookingID, in: db)
        guard booking.status == "confirmed" else {
            throw problem(.conflict, booking.status == "departed" || booking.status == "arrived" ? "already-departed" : "not-confirmed", nil,
                          "the booking is \(booking.status)")
        }
        let noShows = input.noShows ?? []
        let named = input.boarded + noShows
        guard Set(named) == Set(booking.travellerIDs), named.count == booking.travellerIDs.count else {
            throw problem(.unprocessableContent, "travellers-unaccounted", "/boarded", "every traveller of the booking is either boarded or a no-show, once")
        }
        var events = ActionEvents(caseID: booking.caseID, db: db, now: now)
        if !noShows.isEmpty {
            // The family stays together: nobody departs.
            guard let action = input.noShowAction else {
                throw problem(.unprocessableContent, "no-show-action-required", "/noShowAction", "with a no-show, say whether to rebook or cancel")
            }
            if action == .rebook {
                try setStatus(bookingID, "on-hold", reason: BookingHoldReason.noShow.rawValue, at: now, in: db)
                try events.publish(BookingOnHold(bookingID: bookingID, reason: .noShow, travellerIDs: noShows, holdUntil: nil))
            } else {
                try setStatus(bookingID, "cancelled", reason: BookingCancellationReason.noShow.rawValue, at: now, in: db)
                try events.publish(BookingCancelled(bookingID: bookingID, reason: .noShow))
            }
            return
        }
        for (i, t) in input.boarded.enumerated() {
            let outcome = try String.fetchOne(db.cachedStatement(sql: "SELECT outcome FROM travel_precheck WHERE traveller_id = ? AND booking_id = ?"),
                                              arguments: [t.rawValue, bookingID.rawValue])
            guard outcome == FitnessOutcome.cleared.rawValue || outcome == FitnessOutcome.clearedWithRequirements.rawValue else {
                throw problem(.conflict, "pre-embarkation-check-missing", "/boarded/\(i)", "\(t) has no passed pre-embarkation check for this booking")
            }
        }
        let departedAt = input.departedAt ?? now
        guard departedAt <= now else { throw problem(.unprocessableContent, "departure-in-future", "/departedAt", "the departure time is in the future") }
        let window = schedule.departure(scheduled: booking.departureAt)
        guard window.contains(departedAt) else {
            throw problem(.unprocessableContent, "departure-outside-schedule", input.departedAt == nil ? nil : "/departedAt",
                          "a departure of this booking is recorded from \(Instant.format(window.lowerBound)) to \(Instant.format(window.upperBound)) "
                          + "(scheduled \(Instant.format(booking.departureAt))); this one is at \(Instant.format(departedAt))")
        }
        try db.execute(sql: "UPDATE travel_booking SET status = 'departed', departed_at = ?, updated_at = ? WHERE booking_id = ?",
                       arguments: [departedAt.timeIntervalSince1970, now.timeIntervalSince1970, bookingID.rawValue])
        try events.publish(Departed(bookingID: bookingID, departedAt: departedAt, travellerIDs: input.boarded, noShowTravellerIDs: []))
    }

    func transit(_ bookingID: BookingID, _ input: TransitInput, in db: Database) throws {
        let now = clock()
        try required(input.recordedBy, "/recordedBy")
        let booking = try self.booking(bookingID, in: db)
        guard booking.status == "departed" else { throw problem(.conflict, "not-departed", nil, "the booking is \(booking.status)") }
        guard booking.segments.dropLast().contains(where: { $0.to == input.airport }) else {
            throw problem(.unprocessableContent, "not-a-transit-point", "/airport", "the itinerary does not connect at \(input.airport.prefix(3))")
        }
        let at = input.at ?? now
        guard at <= now, at >= booking.departedAt ?? .distantPast else {
            throw problem(.unprocessableContent, "transit-outside-journey", input.at == nil ? nil : "/at",
                          "a transit is between the departure (\(Instant.format(booking.departedAt ?? now))) and now")
        }
        let transits = booking.transits + [BookingView.Transit(airport: input.airport, at: at)]
        try db.execute(sql: "UPDATE travel_booking SET transits = ?, updated_at = ? WHERE booking_id = ?",
                       arguments: [try Self.json(transits), now.timeIntervalSince1970, bookingID.rawValue])
    }

    func arrive(_ bookingID: BookingID, _ input: ArrivalInput, in db: Database) throws {
        let now = clock()
        try required(input.recordedBy, "/recordedBy")
        let booking = try self.booking(bookingID, in: db)
        guard booking.status == "departed" else {
            throw problem(.conflict, booking.status == "arrived" ? "already-arrived" : "not-departed", nil, "the booking is \(booking.status)")
        }
        let arrivedAt = input.arrivedAt ?? now
        guard arrivedAt <= now else { throw problem(.unprocessableContent, "arrival-in-future", "/arrivedAt", "the arrival time is in the future") }
        guard arrivedAt >= booking.departedAt ?? .distantPast else {
            throw problem(.unprocessableContent, "arrival-before-departure", "/arrivedAt", "the arrival is before the departure")
        }
        let window = schedule.arrival(departed: booking.departedAt ?? booking.departureAt, scheduledDeparture: booking.departureAt,
                                      scheduledArrival: booking.arrivalAt)
        guard window.contains(arrivedAt) else {
            throw problem(.unprocessableContent, "arrival-outside-schedule", input.arrivedAt == nil ? nil : "/arrivedAt",
                          "an arrival of this booking is recorded from \(Instant.format(window.lowerBound)) to \(Instant.format(window.upperBound)) "
                          + "(the recorded departure plus the scheduled journey time); this one is at \(Instant.format(arrivedAt))")
        }
        try db.execute(sql: "UPDATE travel_booking SET status = 'arrived', arrived_at = ?, updated_at = ? WHERE booking_id = ?",
                       arguments: [arrivedAt.timeIntervalSince1970, now.timeIntervalSince1970, bookingID.rawValue])
        // The return is done: the case is never booked again.
        try db.execute(sql: "UPDATE travel_case SET status = 'arrived', updated_at = ? WHERE case_id = ? AND status = 'active'",
                       arguments: [now.timeIntervalSince1970, booking.caseID.rawValue])
        let country = try String.fetchOne(db.cachedStatement(sql: "SELECT return_country FROM travel_case WHERE case_id = ?"), arguments: [booking.caseID.rawValue]) ?? ""
        var events = ActionEvents(caseID: booking.caseID, db: db, now: now)
        try events.publish(Arrived(bookingID: bookingID, arrivedAt: arrivedAt, arrivalAirport: booking.segments.last!.to, returnCountry: country,
                                   travellerIDs: booking.travellerIDs))
    }

    func cancel(_ bookingID: BookingID, _ input: CancellationInput, in db: Database) throws {
        let now = clock()
        try required(input.recordedBy, "/recordedBy")
        guard input.reason == .operational || input.reason == .travellerNotCleared else {
            throw problem(.unprocessableContent, "reason-not-allowed", "/reason",
                          "officers cancel for 'operational' or 'traveller-not-cleared'; the other reasons follow from events")
        }
        let booking = try self.booking(bookingID, in: db)
        guard ["proposed", "confirmed", "on-hold"].contains(booking.status) else {
            throw problem(.conflict, "not-cancellable", nil, "the booking is \(booking.status)")
        }
        try setStatus(bookingID, "cancelled", reason: input.reason.rawValue, at: now, in: db)
        var events = ActionEvents(caseID: booking.caseID, db: db, now: now)
        try events.publish(BookingCancelled(bookingID: bookingID, reason: input.reason))
    }

    /// A document that stops being valid puts a confirmed booking on hold.
    func updateDocument(_ caseID: CaseID, _ traveller: TravellerID, _ input: DocumentUpdate, in db: Database) throws {
        let now = clock()
        try required(input.recordedBy, "/recordedBy")
        guard try caseExists(caseID, in: db) else { throw problem(.notFound, "unknown-case", nil, "no case with this id in travel booking") }
        try db.execute(sql: "UPDATE travel_traveller SET document_status = ? WHERE traveller_id = ? AND case_id = ?",
                       arguments: [input.travelDocumentStatus.rawValue, traveller.rawValue, caseID.rawValue])
        guard db.changesCount == 1 else { throw problem(.notFound, "unknown-traveller", nil, "no such traveller in this case") }
        guard input.travelDocumentStatus != .valid else { return }
        var events = ActionEvents(caseID: caseID, db: db, now: now)
        for booking in try activeBookings(caseID, statuses: ["confirmed"], in: db) {
            try setStatus(booking, "on-hold", reason: BookingHoldReason.travelDocumentInvalid.rawValue, at: now, in: db)
            try events.publish(BookingOnHold(bookingID: booking, reason: .travelDocumentInvalid, travellerIDs: [traveller], holdUntil: nil))
        }
    }

    // MARK: Helpers

    struct TravellerState {
        var travellerID: TravellerID
        var familyRole: FamilyRole
        var documentStatus: TravelDocumentStatus
        var clearance: String
        var validFrom: Date?
        var validUntil: Date?
        var travelRequirements: [TravelRequirement]
    }

    func travellers(_ caseID: CaseID, in db: Database) throws -> [TravellerState] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT traveller_id, family_role, document_status, clearance, valid_from, valid_until, hw_open(requirements, 'travel_traveller.requirements')
            FROM travel_traveller WHERE case_id = ? ORDER BY position
            """), arguments: [caseID.rawValue]).map {
            TravellerState(travellerID: TravellerID($0[0] as String), familyRole: FamilyRole(rawValue: $0[1]) ?? .otherRelative,
                           documentStatus: TravelDocumentStatus(rawValue: $0[2]) ?? .missing, clearance: $0[3],
                           validFrom: ($0[4] as Double?).map(Date.init(timeIntervalSince1970:)), validUntil: ($0[5] as Double?).map(Date.init(timeIntervalSince1970:)),
                           travelRequirements: try Self.erasable([TravelRequirement].self, $0[6]) ?? [])
        }
    }

    func booking(_ bookingID: BookingID, in db: Database) throws -> BookingView {
        guard let view = try TravelRecords.booking(bookingID, in: db) else {
            throw problem(.notFound, "unknown-booking", nil, "no booking with this id")
        }
        return view
    }

    private func activeBookings(_ caseID: CaseID, statuses: [String], in db: Database) throws -> [BookingID] {
        try String.fetchAll(db, sql: "SELECT booking_id FROM travel_booking WHERE case_id = ? AND status IN (\(statuses.map { "'\($0)'" }.joined(separator: ","))) ORDER BY created_at",
                            arguments: [caseID.rawValue]).map { BookingID($0) }
    }

    private func setStatus(_ booking: BookingID, _ status: String, reason: String?, at: Date, in db: Database) throws {
        try db.execute(sql: "UPDATE travel_booking SET status = ?, reason = ?, updated_at = ? WHERE booking_id = ?",
                       arguments: [status, reason, at.timeIntervalSince1970, booking.rawValue])
    }

    /// A traveller first named by health: known to the case, not yet registered here.
    private func ensureTraveller(_ traveller: TravellerID, of caseID: String, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO travel_traveller (traveller_id, case_id, position, family_role, document_status, clearance, requirements)
            VALUES (?, ?, 1000, 'other-relative', 'missing', 'none', '[]')
            """).execute(arguments: [traveller.rawValue, caseID])
    }

    private func caseExists(_ caseID: CaseID, in db: Database) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM travel_case WHERE case_id = ?"), arguments: [caseID.rawValue]) ?? false
    }

    private func required(_ text: String, _ field: String) throws {
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw problem(.unprocessableContent, "required", field, "a non-empty value is required") }
    }

    private func problem(_ status: HTTPResponse.Status, _ rule: String, _ field: String?, _ detail: String) -> Problem {
        Problem(status: status, rule: rule, field: field, detail: detail)
    }

    static let encoder = EventCoding.encoder()
    static let decoder = EventCoding.decoder()
    static func json<T: Encodable>(_ value: T) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
    static func value<T: Decodable>(_ type: T.Type, _ text: String) throws -> T { try decoder.decode(type, from: Data(text.utf8)) }
    /// A sealed JSON column as read: nil when absent or erased (`''`).
    static func erasable<T: Decodable>(_ type: T.Type, _ text: String?) throws -> T? {
        guard let text, !text.isEmpty else { return nil }
        return try value(type, text)
    }
}
