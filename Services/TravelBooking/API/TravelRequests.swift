public import Foundation
public import HomewardModel

/// A proposed itinerary for the whole family.
public struct BookingRequest: Codable, Sendable {
    public var travellerIDs: [TravellerID]
    public var segments: [SegmentInput]
    /// Free text for the airline; checked for deportee coding like every field.
    public var remarks: String?
    /// Why the departure is after the programme's target date, when it is.
    public var lateDepartureReason: String?
    @FromToken public var recordedBy: String
    public init(travellerIDs: [TravellerID], segments: [SegmentInput], remarks: String? = nil, lateDepartureReason: String? = nil,
                recordedBy: String = "") {
        self.travellerIDs = travellerIDs; self.segments = segments; self.remarks = remarks; self.lateDepartureReason = lateDepartureReason
        self.recordedBy = recordedBy
    }
}

/// A booking confirmed by the caller: the body is empty.
public struct ConfirmationInput: Codable, Sendable {
    @FromToken public var recordedBy: String
    public init(recordedBy: String = "") { self.recordedBy = recordedBy }
}

public struct DocumentUpdate: Codable, Sendable {
    public var travelDocumentStatus: TravelDocumentStatus
    @FromToken public var recordedBy: String
    public init(travelDocumentStatus: TravelDocumentStatus, recordedBy: String = "") {
        self.travelDocumentStatus = travelDocumentStatus; self.recordedBy = recordedBy
    }
}

/// Who boarded. A no-show keeps the family together: nobody departs, and the booking is
/// put on hold to rebook, or cancelled.
public struct DepartureInput: Codable, Sendable {
    public var boarded: [TravellerID]
    public var noShows: [TravellerID]?
    public var noShowAction: NoShowAction?
    public var departedAt: Date?
    @FromToken public var recordedBy: String

    public enum NoShowAction: String, Codable, Sendable, ClosedSet { case rebook, cancel }
    public init(boarded: [TravellerID], noShows: [TravellerID]? = nil, noShowAction: NoShowAction? = nil, departedAt: Date? = nil,
                recordedBy: String = "") {
        self.boarded = boarded; self.noShows = noShows; self.noShowAction = noShowAction; self.departedAt = departedAt; self.recordedBy = recordedBy
    }
}

public struct TransitInput: Codable, Sendable {
    public var airport: String
    public var at: Date?
    @FromToken public var recordedBy: String
    public init(airport: String, at: Date? = nil, recordedBy: String = "") { self.airport = airport; self.at = at; self.recordedBy = recordedBy }
}

public struct ArrivalInput: Codable, Sendable {
    public var arrivedAt: Date?
    @FromToken public var recordedBy: String
    public init(arrivedAt: Date? = nil, recordedBy: String = "") { self.arrivedAt = arrivedAt; self.recordedBy = recordedBy }
}

public struct CancellationInput: Codable, Sendable {
    public var reason: BookingCancellationReason
    @FromToken public var recordedBy: String
    public init(reason: BookingCancellationReason, recordedBy: String = "") { self.reason = reason; self.recordedBy = recordedBy }
}
