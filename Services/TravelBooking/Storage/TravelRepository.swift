import Foundation
import GRDB
import HomewardModel
import HomewardStore
import TravelBookingAPI

/// Reads and writes travel booking's tables inside the caller's transaction; the only
/// place that knows them. Hot statements (every case's events pass through them) are
/// prepared once per connection.
enum TravelRepository {
    /// A booking as proposed, before it is stored.
    struct NewBooking {
        var bookingID: BookingID
        var caseID: CaseID
        var segments: [Segment]
        var items: [BookingItem]
        var travellerIDs: [TravellerID]
        var departureAt: Date
        var arrivalAt: Date
        var remarks: String?
        var lateDepartureReason: String?
        var rebookingOf: BookingID?
        var createdBy: String
    }

    // MARK: Cases

    /// Intake's and health's topics are read together and nothing orders one against the
    /// other: whichever event names a case first creates it, `active`, its return unknown.
    static func ensureCase(_ caseID: CaseID, at now: Date, in db: Database) throws {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO travel_case (case_id, status, return_country, updated_at) VALUES (?, 'active', '', ?)")
            .execute(arguments: [caseID.rawValue, now.timeIntervalSince1970])
    }

    /// The registration: the case's return, and its travellers in family order (a traveller
    /// health named first keeps its clearance).
    static func register(_ caseID: CaseID, _ registered: CaseRegistered, at now: Date, in db: Database) throws {
        try db.execute(sql: "UPDATE travel_case SET registered = 1, return_country = ?, return_city = ?, updated_at = ? WHERE case_id = ?",
                       arguments: [registered.returnCountry, registered.returnCity, now.timeIntervalSince1970, caseID.rawValue])
        for (position, t) in registered.travellers.enumerated() {
            try db.cachedStatement(sql: """
                INSERT INTO travel_traveller (traveller_id, case_id, position, family_role, document_status, clearance, requirements)
                VALUES (?, ?, ?, ?, ?, 'none', hw_seal('[]', 'travel_traveller.requirements'))
                ON CONFLICT(traveller_id) DO UPDATE SET position = excluded.position, family_role = excluded.family_role,
                    document_status = excluded.document_status
                """).execute(arguments: [t.travellerID.rawValue, caseID.rawValue, position, t.familyRole.rawValue, t.travelDocumentStatus.rawValue])
        }
    }

    static func setEligibility(_ caseID: CaseID, eligible: Bool, targetDepartureBy: Date?, at now: Date, in db: Database) throws {
        try db.execute(sql: "UPDATE travel_case SET eligible = ?, target_departure_by = ?, updated_at = ? WHERE case_id = ?",
                       arguments: [eligible, targetDepartureBy?.timeIntervalSince1970, now.timeIntervalSince1970, caseID.rawValue])
    }

    /// Intake found the declaration, consent and eligibility complete.
    static func markDeclared(_ caseID: CaseID, at now: Date, in db: Database) throws {
        try db.cachedStatement(sql: "UPDATE travel_case SET declared = 1, updated_at = ? WHERE case_id = ?").execute(arguments: [now.timeIntervalSince1970, caseID.rawValue])
    }

    static func setStatus(_ status: TravelCaseStatus, of caseID: CaseID, at now: Date, in db: Database) throws {
        try db.execute(sql: "UPDATE travel_case SET status = ?, updated_at = ? WHERE case_id = ?",
                       arguments: [status.rawValue, now.timeIntervalSince1970, caseID.rawValue])
    }

    /// The return is done (`arrived`, or a `lateEntry` that returned before registering): an
    /// active case is never booked again.
    static func markReturned(_ caseID: CaseID, as status: TravelCaseStatus = .arrived, at now: Date, in db: Database) throws {
        try db.execute(sql: "UPDATE travel_case SET status = ?, updated_at = ? WHERE case_id = ? AND status = 'active'",
                       arguments: [status.rawValue, now.timeIntervalSince1970, caseID.rawValue])
    }

    static func caseExists(_ caseID: CaseID, in db: Database) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM travel_case WHERE case_id = ?"), arguments: [caseID.rawValue]) ?? false
    }

    /// What readiness asks of the case; nil when this store does not know it.
    static func facts(of caseID: CaseID, in db: Database) throws -> CaseFacts? {
        guard var facts = try Row.fetchOne(db.cachedStatement(sql: "SELECT status, eligible, declared, registered FROM travel_case WHERE case_id = ?"),
                                           arguments: [caseID.rawValue])
            .map({ CaseFacts(status: TravelCaseStatus(rawValue: $0[0]) ?? .erased, registered: ($0[3] as Bool?) == true,
                             eligible: ($0[1] as Bool?) == true, declared: ($0[2] as Bool?) == true) }) else { return nil }
        facts.processingWithdrawn = try ConsentStore.isWithdrawn(.processing, of: caseID, in: db)
        return facts
    }

    static func targetDepartureBy(of caseID: CaseID, in db: Database) throws -> Date? {
        try Double.fetchOne(db.cachedStatement(sql: "SELECT target_departure_by FROM travel_case WHERE case_id = ?"), arguments: [caseID.rawValue])
            .map(Date.init(timeIntervalSince1970:))
    }

    static func returnCountry(of caseID: CaseID, in db: Database) throws -> String {
        try String.fetchOne(db.cachedStatement(sql: "SELECT return_country FROM travel_case WHERE case_id = ?"), arguments: [caseID.rawValue]) ?? ""
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

    // MARK: Travellers

    /// The case's travellers in family order.
    static func travellers(_ caseID: CaseID, in db: Database) throws -> [Traveller] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT traveller_id, family_role, document_status, clearance, valid_from, valid_until, hw_open(requirements, 'travel_traveller.requirements'),
                   orientation
            FROM travel_traveller WHERE case_id = ? ORDER BY position
            """), arguments: [caseID.rawValue]).map {
            Traveller(travellerID: TravellerID($0[0] as String), familyRole: FamilyRole(rawValue: $0[1]) ?? .otherRelative,
                      documentStatus: TravelDocumentStatus(rawValue: $0[2]) ?? .missing, clearance: ClearanceStatus(rawValue: $0[3]) ?? .notCleared,
                      validFrom: ($0[4] as Double?).map(Date.init(timeIntervalSince1970:)), validUntil: ($0[5] as Double?).map(Date.init(timeIntervalSince1970:)),
                      travelRequirements: try StoredJSON.erasable([TravelRequirement].self, $0[6]) ?? [],
                      orientation: OrientationStatus(rawValue: $0[7]) ?? .required)
        }
    }

    /// A traveller first named by health: known to the case, not yet registered here.
    static func ensureTraveller(_ traveller: TravellerID, of caseID: CaseID, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO travel_traveller (traveller_id, case_id, position, family_role, document_status, clearance, requirements)
            VALUES (?, ?, 1000, 'other-relative', 'missing', 'none', '[]')
            """).execute(arguments: [traveller.rawValue, caseID.rawValue])
    }

    /// The traveller's orientation is recorded: whatever intake said before or says after, it stays recorded.
    static func recordOrientation(of traveller: TravellerID, in db: Database) throws {
        try db.cachedStatement(sql: "UPDATE travel_traveller SET orientation = 'recorded' WHERE traveller_id = ?").execute(arguments: [traveller.rawValue])
    }

    /// Departure waits for the traveller's orientation, unless it is already recorded.
    static func requireOrientation(of traveller: TravellerID, in db: Database) throws {
        try db.cachedStatement(sql: "UPDATE travel_traveller SET orientation = 'required' WHERE traveller_id = ? AND orientation = 'not-required'")
            .execute(arguments: [traveller.rawValue])
    }

    /// A clearance health issued: valid in its window, with the travel requirements it asks for.
    static func recordClearance(_ clearance: ClearanceIssued, in db: Database) throws {
        try db.execute(sql: "UPDATE travel_traveller SET clearance = 'valid', valid_from = ?, valid_until = ?, requirements = hw_seal(?, 'travel_traveller.requirements') WHERE traveller_id = ?",
                       arguments: [clearance.validFrom.timeIntervalSince1970, clearance.validUntil.timeIntervalSince1970,
                                   try StoredJSON.text(clearance.travelRequirements), clearance.travellerID.rawValue])
    }

    static func setClearance(_ clearance: ClearanceStatus, of traveller: TravellerID, in db: Database) throws {
        try db.cachedStatement(sql: "UPDATE travel_traveller SET clearance = ? WHERE traveller_id = ?").execute(arguments: [clearance.rawValue, traveller.rawValue])
    }

    static func setFamilyRole(_ role: FamilyRole, of traveller: TravellerID, in db: Database) throws {
        try db.cachedStatement(sql: "UPDATE travel_traveller SET family_role = ? WHERE traveller_id = ?").execute(arguments: [role.rawValue, traveller.rawValue])
    }

    /// Sets the document status of a traveller of the case; false when the case has no such traveller.
    static func setDocumentStatus(_ status: TravelDocumentStatus, of traveller: TravellerID, in caseID: CaseID, in db: Database) throws -> Bool {
        try db.execute(sql: "UPDATE travel_traveller SET document_status = ? WHERE traveller_id = ? AND case_id = ?",
                       arguments: [status.rawValue, traveller.rawValue, caseID.rawValue])
        return db.changesCount == 1
    }

    // MARK: Pre-embarkation checks

    /// A check's outcome for one booking, the last one recorded.
    static func recordCheck(_ check: PreEmbarkationCheckDone, in db: Database) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO travel_precheck (traveller_id, booking_id, outcome) VALUES (?, ?, ?)",
                       arguments: [check.travellerID.rawValue, check.bookingID.rawValue, check.outcome.rawValue])
    }

    static func checkOutcome(of traveller: TravellerID, for booking: BookingID, in db: Database) throws -> FitnessOutcome? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT outcome FROM travel_precheck WHERE traveller_id = ? AND booking_id = ?"),
                            arguments: [traveller.rawValue, booking.rawValue]).flatMap(FitnessOutcome.init(rawValue:))
    }

    // MARK: Bookings

    /// The case of a booking this store knows.
    static func caseID(of booking: BookingID, in db: Database) throws -> CaseID? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT case_id FROM travel_booking WHERE booking_id = ?"), arguments: [booking.rawValue]).map(CaseID.init)
    }

    /// The case's bookings in one of `statuses`, oldest first.
    static func bookings(of caseID: CaseID, in statuses: [BookingStatus], in db: Database) throws -> [BookingID] {
        try String.fetchAll(db, sql: "SELECT booking_id FROM travel_booking WHERE case_id = ? AND status IN (\(statuses.map { "'\($0.rawValue)'" }.joined(separator: ","))) ORDER BY created_at",
                            arguments: [caseID.rawValue]).map { BookingID($0) }
    }

    static func addBooking(_ booking: NewBooking, at now: Date, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO travel_booking (booking_id, case_id, status, segments, items, traveller_ids, departure_at, arrival_at, remarks,
                late_departure_reason, rebooking_of, created_by, created_at, updated_at)
            VALUES (?, ?, 'proposed', ?, hw_seal(?, 'travel_booking.items'), ?, ?, ?, hw_seal(?, 'travel_booking.remarks'),
                    hw_seal(?, 'travel_booking.late_departure_reason'), ?, ?, ?, ?)
            """).execute(arguments: [booking.bookingID.rawValue, booking.caseID.rawValue, try StoredJSON.text(booking.segments), try StoredJSON.text(booking.items),
                             try StoredJSON.text(booking.travellerIDs), booking.departureAt.timeIntervalSince1970, booking.arrivalAt.timeIntervalSince1970,
                             booking.remarks, booking.lateDepartureReason, booking.rebookingOf?.rawValue, booking.createdBy,
                             now.timeIntervalSince1970, now.timeIntervalSince1970])
    }

    /// A booking's new status with the reason (a hold's or a cancellation's), if any.
    static func setStatus(_ status: BookingStatus, reason: String?, of booking: BookingID, at now: Date, in db: Database) throws {
        try db.execute(sql: "UPDATE travel_booking SET status = ?, reason = ?, updated_at = ? WHERE booking_id = ?",
                       arguments: [status.rawValue, reason, now.timeIntervalSince1970, booking.rawValue])
    }

    static func recordDeparture(_ booking: BookingID, departedAt: Date, at now: Date, in db: Database) throws {
        try db.execute(sql: "UPDATE travel_booking SET status = 'departed', departed_at = ?, updated_at = ? WHERE booking_id = ?",
                       arguments: [departedAt.timeIntervalSince1970, now.timeIntervalSince1970, booking.rawValue])
    }

    static func setTransits(_ transits: [BookingView.Transit], of booking: BookingID, at now: Date, in db: Database) throws {
        try db.execute(sql: "UPDATE travel_booking SET transits = ?, updated_at = ? WHERE booking_id = ?",
                       arguments: [try StoredJSON.text(transits), now.timeIntervalSince1970, booking.rawValue])
    }

    static func recordArrival(_ booking: BookingID, arrivedAt: Date, at now: Date, in db: Database) throws {
        try db.execute(sql: "UPDATE travel_booking SET status = 'arrived', arrived_at = ?, updated_at = ? WHERE booking_id = ?",
                       arguments: [arrivedAt.timeIntervalSince1970, now.timeIntervalSince1970, booking.rawValue])
    }
}
