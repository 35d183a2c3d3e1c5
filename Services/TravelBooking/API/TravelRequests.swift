import Foundation
import HomewardModel
import HomewardRuntime

/// A proposed itinerary for the whole family.
struct BookingRequest: Codable, Sendable {
    var travellerIDs: [TravellerID]
    var segments: [SegmentInput]
    /// Free text for the airline; checked for deportee coding like every field.
    var remarks: String?
    /// Why the departure is after the programme's target date, when it is.
    var lateDepartureReason: String?
    @FromToken var recordedBy: String
}

/// A booking confirmed by the caller: the body is empty.
struct ConfirmationInput: Codable, Sendable {
    @FromToken var recordedBy: String
}

struct DocumentUpdate: Codable, Sendable {
    var travelDocumentStatus: TravelDocumentStatus
    @FromToken var recordedBy: String
}

/// Who boarded. A no-show keeps the family together: nobody departs, and the booking is
/// put on hold to rebook, or cancelled.
struct DepartureInput: Codable, Sendable {
    var boarded: [TravellerID]
    var noShows: [TravellerID]?
    var noShowAction: NoShowAction?
    var departedAt: Date?
    @FromToken var recordedBy: String

    enum NoShowAction: String, Codable, Sendable, ClosedSet { case rebook, cancel }
}

struct TransitInput: Codable, Sendable {
    var airport: String
    var at: Date?
    @FromToken var recordedBy: String
}

struct ArrivalInput: Codable, Sendable {
    var arrivedAt: Date?
    @FromToken var recordedBy: String
}

struct CancellationInput: Codable, Sendable {
    var reason: BookingCancellationReason
    @FromToken var recordedBy: String
}
