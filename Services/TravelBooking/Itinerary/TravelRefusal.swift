import Foundation
import HomewardModel

/// Why travel booking refuses a movement officer's action. Each names the rule broken
/// with ids, codes, statuses and times only: never free text an officer wrote.
enum TravelRefusal: Error, Equatable {
    case unknownCase
    case unknownBooking
    /// The traveller is not one of the case's (a document update).
    case unknownTraveller
    /// The person withdrew the consent (to processing) a booking step needs.
    case consentWithdrawn(ConsentPurpose)
    /// A field breaks an itinerary rule or carries deportee coding.
    case itinerary(ItineraryViolation)
    case notBookable(reasons: [String])
    /// The request names someone who is not a traveller of the case.
    case notInFamily(TravellerID, at: Int)
    case familySplit(leftOut: [TravellerID])
    /// A proposed departure in the past.
    case departureInPast
    /// A proposed departure outside the clearance window of `traveller`.
    case departureOutsideClearance(TravellerID, from: Date?, until: Date?)
    case afterTargetDate(Date)
    case bookingExists(BookingID)
    case bookingCancelled
    case notProposed(BookingStatus)
    case travelDocumentInvalid([InvalidDocument])
    /// The departure of a proposed booking passed before its confirmation.
    case proposedDeparturePassed
    /// A traveller's clearance no longer covers the proposed departure.
    case clearanceNoLongerCovers(TravellerID)
    case alreadyDeparted(BookingStatus)
    case notConfirmed(BookingStatus)
    case travellersUnaccounted
    case noShowActionRequired
    case preEmbarkationCheckMissing(TravellerID, at: Int)
    /// The programme needs the traveller's pre-departure orientation, and intake has not recorded it.
    case orientationMissing(TravellerID, at: Int)
    case departureInFuture
    /// `stated`: the request gave the time (else it is now).
    case departureOutsideSchedule(at: Date, window: ClosedRange<Date>, scheduled: Date, stated: Bool)
    case notDeparted(BookingStatus)
    case notATransitPoint(airport: String)
    case transitOutsideJourney(departedAt: Date, stated: Bool)
    case alreadyArrived
    case arrivalInFuture
    case arrivalBeforeDeparture
    case arrivalOutsideSchedule(at: Date, window: ClosedRange<Date>, stated: Bool)
    /// Officers cancel for their own reasons only; the others follow from events.
    case reasonNotAllowed
    case notCancellable(BookingStatus)

    /// A traveller whose travel document is not valid.
    struct InvalidDocument: Equatable, Sendable {
        var travellerID: TravellerID
        var status: TravelDocumentStatus
    }
}
