import Foundation
import HomewardModel
import Hummingbird

/// A case as movement officers see it: whether it can be booked and why not, its
/// travellers' clearance and documents, and its bookings.
struct TravelCaseView: Codable, Sendable, ResponseEncodable {
    var caseID: CaseID
    var status: String
    var returnCountry: String
    var returnCity: String?
    var targetDepartureBy: Date?
    var bookable: Bool
    /// Why it cannot be booked yet; empty when it can.
    var notBookableBecause: [String]
    var travellers: [TravellerView]
    var bookings: [BookingView]
}

struct TravellerView: Codable, Sendable {
    var travellerID: TravellerID
    var familyRole: FamilyRole
    var documentStatus: TravelDocumentStatus
    /// `none`, `valid`, `lapsed`, `on-hold` or `not-cleared`.
    var clearance: String
    var validFrom: Date?
    var validUntil: Date?
    /// Absent once the case's personal data is erased.
    var travelRequirements: [TravelRequirement]?
}

struct BookingView: Codable, Sendable, ResponseEncodable {
    var bookingID: BookingID
    var caseID: CaseID
    var status: String
    var travellerIDs: [TravellerID]
    var segments: [Segment]
    /// Absent once the case's personal data is erased.
    var items: [BookingItem]?
    var departureAt: Date
    var arrivalAt: Date
    var remarks: String?
    var lateDepartureReason: String?
    var rebookingOf: BookingID?
    var reason: String?
    var departedAt: Date?
    var arrivedAt: Date?
    var transits: [Transit]

    struct Transit: Codable, Sendable {
        var airport: String
        var at: Date
    }
}

/// Who travels on one flight, with what service and escort.
struct Manifest: Codable, Sendable, ResponseEncodable {
    var flightNumber: String
    var date: LocalDate
    var passengers: [Passenger]

    struct Passenger: Codable, Sendable {
        var bookingID: BookingID
        var caseID: CaseID
        var travellerID: TravellerID
        var familyRole: FamilyRole
        var from: String
        var to: String
        var departsLocal: String
        var items: [BookingItem]
    }
}
