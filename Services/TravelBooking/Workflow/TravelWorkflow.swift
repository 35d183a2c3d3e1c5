import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore
import TravelBookingAPI

/// What movement officers do to a case's bookings, each inside one write transaction:
/// the itinerary rules and readiness decide, the repository writes, then outbox events.
/// A refusal (``TravelRefusal``) writes nothing. Also the reactions several consumed
/// events share.
struct TravelWorkflow: Sendable {
    let minimumConnection: Duration
    let clock: @Sendable () -> Date
    var schedule = ScheduleWindows.standard

    // MARK: Reactions to intake and health

    /// The case ended (withdrawn, or no longer eligible): its bookings not yet under way are cancelled.
    func closeCase(_ event: ReceivedEvent, as status: TravelCaseStatus, reason: BookingCancellationReason, in db: Database) throws {
        try TravelRepository.setStatus(status, of: event.caseID, at: event.time, in: db)
        for booking in try TravelRepository.bookings(of: event.caseID, in: BookingStatus.cancellable, in: db) {
            try TravelRepository.setStatus(.cancelled, reason: reason.rawValue, of: booking, at: event.time, in: db)
            try Outbox.append(event.causing(BookingCancelled(bookingID: booking, reason: reason), time: event.time), in: db)
        }
    }

    /// Health says `traveller` may not travel now (`clearance`): the family's booking is held.
    func holdForHealth(_ traveller: TravellerID, clearance: ClearanceStatus, reason: BookingHoldReason, until: Date?,
                       cause event: ReceivedEvent, in db: Database) throws {
        try TravelRepository.ensureTraveller(traveller, of: event.caseID, in: db)
        try TravelRepository.setClearance(clearance, of: traveller, in: db)
        try holdBookings(of: event, travellers: [traveller], reason: reason, until: until, in: db)
    }

    /// A health problem of one traveller puts the family's booking on hold: it asks for a
    /// re-screen, and a new clearance lets the family be rebooked.
    func holdBookings(of event: ReceivedEvent, travellers: [TravellerID], reason: BookingHoldReason, until: Date?, in db: Database) throws {
        for booking in try TravelRepository.bookings(of: event.caseID, in: BookingStatus.open, in: db) {
            try TravelRepository.setStatus(.onHold, reason: reason.rawValue, of: booking, at: event.time, in: db)
            try Outbox.append(event.causing(BookingOnHold(bookingID: booking, reason: reason, travellerIDs: travellers, holdUntil: until), time: event.time), in: db)
        }
    }

    /// Holds the case's open bookings while consent to processing is withdrawn. Travel
    /// booking's own hold, not announced: `booking-on-hold` v1 has no such reason, and a
    /// new enum value is a new major (the catalogue's versioning); intake and health hear
    /// the withdrawal from intake themselves.
    func holdForConsent(of event: ReceivedEvent, in db: Database) throws {
        for booking in try TravelRepository.bookings(of: event.caseID, in: BookingStatus.open, in: db) {
            try TravelRepository.setStatus(.onHold, reason: Self.consentHold, of: booking, at: event.time, in: db)
        }
    }

    /// The hold reason of a booking held for a withdrawn consent to processing.
    static let consentHold = "consent-withdrawn"

    // MARK: Movement officers' actions

    func propose(_ caseID: CaseID, _ request: BookingRequest, in db: Database) throws -> BookingID {
        let now = clock()
        try BlankField.check(request.recordedBy, at: "/recordedBy")
        guard try TravelRepository.caseExists(caseID, in: db) else { throw TravelRefusal.unknownCase }
        try requireProcessingConsent(of: caseID, in: db)
        do {
            try Anonymity.check([(field: "/remarks", value: request.remarks ?? ""), (field: "/lateDepartureReason", value: request.lateDepartureReason ?? "")]
                + request.segments.enumerated().map { (field: "/segments/\($0.offset)/flightNumber", value: $0.element.flightNumber) })
        } catch {
            throw TravelRefusal.itinerary(error)
        }
        let readiness = try TravelRepository.readiness(caseID, at: now, in: db)
        guard readiness.bookable else { throw TravelRefusal.notBookable(reasons: readiness.reasons) }
        let family = try TravelRepository.travellers(caseID, in: db)
        let wanted = Set(request.travellerIDs)
        for (i, t) in request.travellerIDs.enumerated() where !family.contains(where: { $0.travellerID == t }) {
            throw TravelRefusal.notInFamily(t, at: i)
        }
        let missing = family.map(\.travellerID).filter { !wanted.contains($0) }
        guard missing.isEmpty, wanted.count == request.travellerIDs.count else { throw TravelRefusal.familySplit(leftOut: missing) }
        let segments: [Segment]
        do {
            segments = try ItineraryRules.resolve(request.segments, minimumConnection: minimumConnection)
        } catch {
            throw TravelRefusal.itinerary(error)
        }
        let departure = segments.first!.departsAt, arrival = segments.last!.arrivesAt
        guard departure > now else { throw TravelRefusal.departureInPast }
        for t in family where !t.clearanceCovers(departure) {
            throw TravelRefusal.departureOutsideClearance(t.travellerID, from: t.validFrom, until: t.validUntil)
        }
        if let target = try TravelRepository.targetDepartureBy(of: caseID, in: db),
           departure.timeIntervalSince1970 > target.timeIntervalSince1970,
           (request.lateDepartureReason ?? "").isBlank {
            throw TravelRefusal.afterTargetDate(target)
        }
        if let active = try TravelRepository.bookings(of: caseID, in: BookingStatus.open, in: db).first {
            throw TravelRefusal.bookingExists(active)
        }
        let previous = try TravelRepository.bookings(of: caseID, in: [.onHold], in: db).first
        let items = ServiceCodes.items(for: Array(Set(family.flatMap(\.travelRequirements))).sorted { $0.rawValue < $1.rawValue })
        let bookingID = BookingID("BK-" + UUID().uuidString.prefix(8).lowercased())
        try TravelRepository.addBooking(
            .init(bookingID: bookingID, caseID: caseID, segments: segments, items: items, travellerIDs: family.map(\.travellerID),
                  departureAt: departure, arrivalAt: arrival, remarks: request.remarks, lateDepartureReason: request.lateDepartureReason,
                  rebookingOf: previous, createdBy: request.recordedBy),
            at: now, in: db)
        var events = ActionEvents(caseID: caseID, db: db, now: now)
        if let previous {
            try TravelRepository.setStatus(.cancelled, reason: BookingCancellationReason.rebooked.rawValue, of: previous, at: now, in: db)
            try events.publish(BookingCancelled(bookingID: previous, reason: .rebooked))
        }
        try events.publish(BookingProposed(bookingID: bookingID, travellerIDs: family.map(\.travellerID), departureAt: departure, arrivalAt: arrival,
                                           rebookingOf: previous))
        return bookingID
    }

    func confirm(_ bookingID: BookingID, _ input: ConfirmationInput, in db: Database) throws {
        let now = clock()
        try BlankField.check(input.recordedBy, at: "/recordedBy")
        let (booking, status) = try self.booking(bookingID, in: db)
        try requireProcessingConsent(of: booking.caseID, in: db)
        guard status == .proposed else { throw status == .cancelled ? TravelRefusal.bookingCancelled : TravelRefusal.notProposed(status) }
        let family = try TravelRepository.travellers(booking.caseID, in: db)
        let invalid = family.filter { $0.documentStatus != .valid }
        guard invalid.isEmpty else {
            throw TravelRefusal.travelDocumentInvalid(invalid.map { .init(travellerID: $0.travellerID, status: $0.documentStatus) })
        }
        let readiness = try TravelRepository.readiness(booking.caseID, at: now, in: db)
        guard readiness.bookable else { throw TravelRefusal.notBookable(reasons: readiness.reasons) }
        guard booking.departureAt > now else { throw TravelRefusal.proposedDeparturePassed }
        for t in family where !t.clearanceCovers(booking.departureAt) {
            throw TravelRefusal.clearanceNoLongerCovers(t.travellerID)
        }
        try TravelRepository.setStatus(.confirmed, reason: nil, of: bookingID, at: now, in: db)
        let last = booking.segments.last!
        var events = ActionEvents(caseID: booking.caseID, db: db, now: now)
        try events.publish(BookingConfirmed(bookingID: bookingID, travellerIDs: booking.travellerIDs, departureAt: booking.departureAt,
                                            arrivalAt: booking.arrivalAt, arrivalAirport: last.to, arrivalFlightNumber: last.flightNumber))
    }

    func depart(_ bookingID: BookingID, _ input: DepartureInput, in db: Database) throws {
        let now = clock()
        try BlankField.check(input.recordedBy, at: "/recordedBy")
        let (booking, status) = try self.booking(bookingID, in: db)
        try requireProcessingConsent(of: booking.caseID, in: db)
        guard status == .confirmed else {
            throw status == .departed || status == .arrived ? TravelRefusal.alreadyDeparted(status) : TravelRefusal.notConfirmed(status)
        }
        let noShows = input.noShows ?? []
        let named = input.boarded + noShows
        guard Set(named) == Set(booking.travellerIDs), named.count == booking.travellerIDs.count else { throw TravelRefusal.travellersUnaccounted }
        var events = ActionEvents(caseID: booking.caseID, db: db, now: now)
        if !noShows.isEmpty {
            // The family stays together: nobody departs.
            guard let action = input.noShowAction else { throw TravelRefusal.noShowActionRequired }
            if action == .rebook {
                try TravelRepository.setStatus(.onHold, reason: BookingHoldReason.noShow.rawValue, of: bookingID, at: now, in: db)
                try events.publish(BookingOnHold(bookingID: bookingID, reason: .noShow, travellerIDs: noShows, holdUntil: nil))
            } else {
                try TravelRepository.setStatus(.cancelled, reason: BookingCancellationReason.noShow.rawValue, of: bookingID, at: now, in: db)
                try events.publish(BookingCancelled(bookingID: bookingID, reason: .noShow))
            }
            return
        }
        let family = Dictionary(uniqueKeysWithValues: try TravelRepository.travellers(booking.caseID, in: db).map { ($0.travellerID, $0) })
        for (i, t) in input.boarded.enumerated() {
            let outcome = try TravelRepository.checkOutcome(of: t, for: bookingID, in: db)
            guard outcome == .cleared || outcome == .clearedWithRequirements else { throw TravelRefusal.preEmbarkationCheckMissing(t, at: i) }
            guard family[t]?.orientation != .required else { throw TravelRefusal.orientationMissing(t, at: i) }
        }
        let departedAt = input.departedAt ?? now
        guard departedAt <= now else { throw TravelRefusal.departureInFuture }
        let window = schedule.departure(scheduled: booking.departureAt)
        guard window.contains(departedAt) else {
            throw TravelRefusal.departureOutsideSchedule(at: departedAt, window: window, scheduled: booking.departureAt, stated: input.departedAt != nil)
        }
        try TravelRepository.recordDeparture(bookingID, departedAt: departedAt, at: now, in: db)
        try events.publish(Departed(bookingID: bookingID, departedAt: departedAt, travellerIDs: input.boarded, noShowTravellerIDs: []))
    }

    func transit(_ bookingID: BookingID, _ input: TransitInput, in db: Database) throws {
        let now = clock()
        try BlankField.check(input.recordedBy, at: "/recordedBy")
        let (booking, status) = try self.booking(bookingID, in: db)
        guard status == .departed else { throw TravelRefusal.notDeparted(status) }
        guard booking.segments.dropLast().contains(where: { $0.to == input.airport }) else { throw TravelRefusal.notATransitPoint(airport: input.airport) }
        let at = input.at ?? now
        guard at <= now, at >= booking.departedAt ?? .distantPast else {
            throw TravelRefusal.transitOutsideJourney(departedAt: booking.departedAt ?? now, stated: input.at != nil)
        }
        try TravelRepository.setTransits(booking.transits + [BookingView.Transit(airport: input.airport, at: at)], of: bookingID, at: now, in: db)
    }

    func arrive(_ bookingID: BookingID, _ input: ArrivalInput, in db: Database) throws {
        let now = clock()
        try BlankField.check(input.recordedBy, at: "/recordedBy")
        let (booking, status) = try self.booking(bookingID, in: db)
        guard status == .departed else { throw status == .arrived ? TravelRefusal.alreadyArrived : TravelRefusal.notDeparted(status) }
        let arrivedAt = input.arrivedAt ?? now
        guard arrivedAt <= now else { throw TravelRefusal.arrivalInFuture }
        guard arrivedAt >= booking.departedAt ?? .distantPast else { throw TravelRefusal.arrivalBeforeDeparture }
        let window = schedule.arrival(departed: booking.departedAt ?? booking.departureAt, scheduledDeparture: booking.departureAt,
                                      scheduledArrival: booking.arrivalAt)
        guard window.contains(arrivedAt) else {
            throw TravelRefusal.arrivalOutsideSchedule(at: arrivedAt, window: window, stated: input.arrivedAt != nil)
        }
        try TravelRepository.recordArrival(bookingID, arrivedAt: arrivedAt, at: now, in: db)
        // The return is done: the case is never booked again.
        try TravelRepository.markReturned(booking.caseID, at: now, in: db)
        let country = try TravelRepository.returnCountry(of: booking.caseID, in: db)
        var events = ActionEvents(caseID: booking.caseID, db: db, now: now)
        try events.publish(Arrived(bookingID: bookingID, arrivedAt: arrivedAt, arrivalAirport: booking.segments.last!.to, returnCountry: country,
                                   travellerIDs: booking.travellerIDs))
    }

    func cancel(_ bookingID: BookingID, _ input: CancellationInput, in db: Database) throws {
        let now = clock()
        try BlankField.check(input.recordedBy, at: "/recordedBy")
        guard input.reason == .operational || input.reason == .travellerNotCleared else { throw TravelRefusal.reasonNotAllowed }
        let (booking, status) = try self.booking(bookingID, in: db)
        guard BookingStatus.cancellable.contains(status) else { throw TravelRefusal.notCancellable(status) }
        try TravelRepository.setStatus(.cancelled, reason: input.reason.rawValue, of: bookingID, at: now, in: db)
        var events = ActionEvents(caseID: booking.caseID, db: db, now: now)
        try events.publish(BookingCancelled(bookingID: bookingID, reason: input.reason))
    }

    /// A document that stops being valid puts a confirmed booking on hold.
    func updateDocument(_ caseID: CaseID, _ traveller: TravellerID, _ input: DocumentUpdate, in db: Database) throws {
        let now = clock()
        try BlankField.check(input.recordedBy, at: "/recordedBy")
        guard try TravelRepository.caseExists(caseID, in: db) else { throw TravelRefusal.unknownCase }
        guard try TravelRepository.setDocumentStatus(input.travelDocumentStatus, of: traveller, in: caseID, in: db) else { throw TravelRefusal.unknownTraveller }
        var events = ActionEvents(caseID: caseID, db: db, now: now)
        try holdForDocument(input.travelDocumentStatus, of: traveller, in: caseID, at: now, in: db) { try events.publish($0) }
    }

    /// Intake corrected a traveller's family role or document status: a document that is
    /// no longer valid holds a confirmed booking, as a movement officer's update does.
    func correct(_ corrected: TravellerCorrected, cause event: ReceivedEvent, in db: Database) throws {
        try TravelRepository.ensureTraveller(corrected.travellerID, of: event.caseID, in: db)
        if let role = corrected.familyRole { try TravelRepository.setFamilyRole(role, of: corrected.travellerID, in: db) }
        guard let status = corrected.travelDocumentStatus else { return }
        _ = try TravelRepository.setDocumentStatus(status, of: corrected.travellerID, in: event.caseID, in: db)
        try holdForDocument(status, of: corrected.travellerID, in: event.caseID, at: event.time, in: db) {
            try Outbox.append(event.causing($0, time: event.time), in: db)
        }
    }

    /// The case's confirmed bookings go on hold, announced, when a traveller's document is not valid.
    private func holdForDocument(_ status: TravelDocumentStatus, of traveller: TravellerID, in caseID: CaseID, at now: Date, in db: Database,
                                 announce: (BookingOnHold) throws -> Void) throws {
        guard status != .valid else { return }
        for booking in try TravelRepository.bookings(of: caseID, in: [.confirmed], in: db) {
            try TravelRepository.setStatus(.onHold, reason: BookingHoldReason.travelDocumentInvalid.rawValue, of: booking, at: now, in: db)
            try announce(BookingOnHold(bookingID: booking, reason: .travelDocumentInvalid, travellerIDs: [traveller], holdUntil: nil))
        }
    }

    // MARK: Rules of every action

    /// A proposal, a confirmation or a departure processes the family's data: refused while
    /// the person's consent to processing is withdrawn.
    private func requireProcessingConsent(of caseID: CaseID, in db: Database) throws {
        if try ConsentStore.isWithdrawn(.processing, of: caseID, in: db) { throw TravelRefusal.consentWithdrawn(.processing) }
    }

    /// The booking with its status; refused when the store does not hold it.
    private func booking(_ id: BookingID, in db: Database) throws -> (view: BookingView, status: BookingStatus) {
        guard let view = try TravelRepository.booking(id, in: db) else { throw TravelRefusal.unknownBooking }
        return (view, BookingStatus(rawValue: view.status) ?? .cancelled)
    }
}
