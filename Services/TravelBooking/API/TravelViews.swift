public import Foundation
public import HomewardModel

/// A case as movement officers see it: whether it can be booked and why not, its
/// travellers' clearance and documents, and its bookings.
public struct TravelCaseView: Codable, Sendable {
    public var caseID: CaseID
    public var status: String
    public var returnCountry: String
    public var returnCity: String?
    public var targetDepartureBy: Date?
    public var bookable: Bool
    /// Why it cannot be booked yet; empty when it can.
    public var notBookableBecause: [String]
    public var travellers: [TravellerView]
    public var bookings: [BookingView]
    public init(caseID: CaseID, status: String, returnCountry: String, returnCity: String? = nil, targetDepartureBy: Date? = nil, bookable: Bool,
                notBookableBecause: [String], travellers: [TravellerView], bookings: [BookingView]) {
        self.caseID = caseID; self.status = status; self.returnCountry = returnCountry; self.returnCity = returnCity
        self.targetDepartureBy = targetDepartureBy; self.bookable = bookable; self.notBookableBecause = notBookableBecause
        self.travellers = travellers; self.bookings = bookings
    }
}

public struct TravellerView: Codable, Sendable {
    public var travellerID: TravellerID
    public var familyRole: FamilyRole
    public var travelDocumentStatus: TravelDocumentStatus
    /// `none`, `valid`, `lapsed`, `on-hold` or `not-cleared`.
    public var clearance: String
    public var validFrom: Date?
    public var validUntil: Date?
    /// Absent once the case's personal data is erased.
    public var travelRequirements: [TravelRequirement]?
    /// Whether the traveller's pre-departure orientation is required before boarding, and recorded.
    public var orientation: OrientationStatus
    public init(travellerID: TravellerID, familyRole: FamilyRole, travelDocumentStatus: TravelDocumentStatus, clearance: String,
                validFrom: Date? = nil, validUntil: Date? = nil, travelRequirements: [TravelRequirement]? = nil,
                orientation: OrientationStatus = .notRequired) {
        self.travellerID = travellerID; self.familyRole = familyRole; self.travelDocumentStatus = travelDocumentStatus; self.clearance = clearance
        self.validFrom = validFrom; self.validUntil = validUntil; self.travelRequirements = travelRequirements; self.orientation = orientation
    }
}

public struct BookingView: Codable, Sendable {
    public var bookingID: BookingID
    public var caseID: CaseID
    public var status: String
    public var travellerIDs: [TravellerID]
    public var segments: [Segment]
    /// Absent once the case's personal data is erased.
    public var items: [BookingItem]?
    public var departureAt: Date
    public var arrivalAt: Date
    public var remarks: String?
    public var lateDepartureReason: String?
    public var rebookingOf: BookingID?
    public var reason: String?
    public var departedAt: Date?
    public var arrivedAt: Date?
    public var transits: [Transit]

    public struct Transit: Codable, Sendable {
        public var airport: String
        public var at: Date
        public init(airport: String, at: Date) { self.airport = airport; self.at = at }
    }
    public init(bookingID: BookingID, caseID: CaseID, status: String, travellerIDs: [TravellerID], segments: [Segment], items: [BookingItem]? = nil,
                departureAt: Date, arrivalAt: Date, remarks: String? = nil, lateDepartureReason: String? = nil, rebookingOf: BookingID? = nil,
                reason: String? = nil, departedAt: Date? = nil, arrivedAt: Date? = nil, transits: [Transit]) {
        self.bookingID = bookingID; self.caseID = caseID; self.status = status; self.travellerIDs = travellerIDs; self.segments = segments
        self.items = items; self.departureAt = departureAt; self.arrivalAt = arrivalAt; self.remarks = remarks
        self.lateDepartureReason = lateDepartureReason; self.rebookingOf = rebookingOf; self.reason = reason; self.departedAt = departedAt
        self.arrivedAt = arrivedAt; self.transits = transits
    }
}

/// One page of a movement officers' work list.
public struct TravelWorkList: Codable, Sendable {
    public enum Name: String, Codable, Sendable, CaseIterable {
        case bookable, proposed, confirmed, onHold = "on-hold", departed
    }

    public struct Line: Codable, Sendable {
        public var caseID: CaseID
        public var returnCountry: String
        public var targetDepartureBy: Date?
        /// The booking the line is about; absent in `bookable`.
        public var bookingID: BookingID?
        public var bookingStatus: String?
        public var departureAt: Date?
        public init(caseID: CaseID, returnCountry: String, targetDepartureBy: Date? = nil, bookingID: BookingID? = nil, bookingStatus: String? = nil,
                    departureAt: Date? = nil) {
            self.caseID = caseID; self.returnCountry = returnCountry; self.targetDepartureBy = targetDepartureBy; self.bookingID = bookingID
            self.bookingStatus = bookingStatus; self.departureAt = departureAt
        }
    }

    public var list: Name
    public var cases: [Line]
    /// `after` for the next page; absent on the last.
    public var next: String?
    public init(list: Name, cases: [Line], next: String? = nil) { self.list = list; self.cases = cases; self.next = next }
}

/// Who travels on one flight, with what service and escort.
public struct Manifest: Codable, Sendable {
    public var flightNumber: String
    public var date: LocalDate
    public var passengers: [Passenger]

    public struct Passenger: Codable, Sendable {
        public var bookingID: BookingID
        public var caseID: CaseID
        public var travellerID: TravellerID
        public var familyRole: FamilyRole
        public var from: String
        public var to: String
        public var departsLocal: String
        public var items: [BookingItem]
        /// On what the items go to the airline: `consent` (to processing) or an exception's
        /// legal basis; absent when there are none or they are withheld.
        public var itemsBasis: String?
        /// The passenger needs services or escorts, withheld: no consent to processing and
        /// no exception in force.
        public var itemsWithheld: Bool
        public init(bookingID: BookingID, caseID: CaseID, travellerID: TravellerID, familyRole: FamilyRole, from: String, to: String,
                    departsLocal: String, items: [BookingItem], itemsBasis: String? = nil, itemsWithheld: Bool = false) {
            self.bookingID = bookingID; self.caseID = caseID; self.travellerID = travellerID; self.familyRole = familyRole; self.from = from
            self.to = to; self.departsLocal = departsLocal; self.items = items; self.itemsBasis = itemsBasis; self.itemsWithheld = itemsWithheld
        }
    }
    public init(flightNumber: String, date: LocalDate, passengers: [Passenger]) {
        self.flightNumber = flightNumber; self.date = date; self.passengers = passengers
    }
}

/// A traveller's pre-departure orientation as intake's events tell it.
public enum OrientationStatus: String, Codable, Sendable, ClosedSet {
    /// The programme does not hold departure for it (or intake has not said it does).
    case notRequired = "not-required"
    /// The programme needs it before departure, and it is not recorded yet: the traveller does not board.
    case required
    /// Recorded (whether required or not).
    case recorded
}
