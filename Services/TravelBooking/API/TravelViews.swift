import Foundation
import HomewardModel
import HomewardRuntime
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
    var travelDocumentStatus: TravelDocumentStatus
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

/// One page of a movement officers' work list.
struct TravelWorkList: Codable, Sendable, PagedList {
    enum Name: String, Codable, Sendable, CaseIterable {
        case bookable, proposed, confirmed, onHold = "on-hold", departed
    }

    struct Line: Codable, Sendable {
        var caseID: CaseID
        var returnCountry: String
        var targetDepartureBy: Date?
        /// The booking the line is about; absent in `bookable`.
        var bookingID: BookingID?
        var bookingStatus: String?
        var departureAt: Date?
    }

    var list: Name
    var cases: [Line]
    /// `after` for the next page; absent on the last.
    var next: String?
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

extension Manifest {
    /// One manifest from each partition store's, passengers in departure order.
    init(merging manifests: [Manifest]) {
        self = manifests[0]
        passengers = manifests.flatMap(\.passengers).sorted { $0.departsLocal < $1.departsLocal }
    }

    /// The manifest as CSV, one line per passenger.
    var csv: String {
        var lines = ["flight,date,booking,case,traveller,family_role,from,to,departs_local,services,escorts"]
        for p in passengers {
            let services = p.items.compactMap { $0.kind == "service" ? $0.code : nil }.joined(separator: " ")
            let escorts = p.items.compactMap { $0.escort?.rawValue }.joined(separator: " ")
            lines.append([flightNumber, date.description, p.bookingID.rawValue, p.caseID.rawValue, p.travellerID.rawValue,
                          p.familyRole.rawValue, p.from, p.to, p.departsLocal, services, escorts].joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
