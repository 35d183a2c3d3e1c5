import Foundation
import HomewardModel
import HomewardRuntime

/// How movement officers' API answers each refusal.
extension TravelRefusal: ProblemConvertible {
    var problem: Problem {
        switch self {
        case .unknownCase: .notFound("unknown-case", "no case with this id in travel booking")
        case .unknownBooking: .notFound("unknown-booking", "no booking with this id")
        case .unknownTraveller: .notFound("unknown-traveller", "no such traveller in this case")
        case .consentWithdrawn(let purpose): .consentWithdrawn(purpose, "booking")
        case .itinerary(let violation): .invalid(violation.field, violation.rule, violation.detail)
        case .notBookable(let reasons): .conflict("not-bookable", "the case cannot be booked: " + reasons.joined(separator: "; "))
        case .notInFamily(let traveller, let i): .invalid("/travellerIDs/\(i)", "unknown-traveller", "\(traveller) is not a traveller of this case")
        case .familySplit(let leftOut):
            .invalid("/travellerIDs", "family-split",
                     "the family travels as one unit on one itinerary; left out: \(leftOut.map(\.rawValue).joined(separator: ", "))")
        case .departureInPast: .invalid("/segments/0/departsLocal", "departure-in-past", "the departure is in the past")
        case .departureOutsideClearance(let traveller, let from, let until):
            .invalid("/segments/0/departsLocal", "outside-clearance-window",
                     "the departure falls outside \(traveller)'s clearance (\(from.map(Instant.format) ?? "-") to \(until.map(Instant.format) ?? "-"))")
        case .afterTargetDate(let target):
            .invalid("/lateDepartureReason", "after-target-date", "the departure is after the programme's target date \(Instant.format(target)); record why")
        case .bookingExists(let active): .conflict("booking-exists", "booking \(active) is active; cancel it or wait for a hold to rebook")
        case .bookingCancelled: .conflict("booking-cancelled", "the booking is \(BookingStatus.cancelled.rawValue)")
        case .notProposed(let status): .conflict("not-proposed", "the booking is \(status.rawValue)")
        case .travelDocumentInvalid(let invalid):
            .conflict("travel-document-invalid",
                      "travel documents are not valid for: " + invalid.map { "\($0.travellerID) (\($0.status.rawValue))" }.joined(separator: ", "))
        case .proposedDeparturePassed: .conflict("departure-in-past", "the proposed departure has passed; propose again")
        case .clearanceNoLongerCovers(let traveller):
            .conflict("outside-clearance-window", "the departure now falls outside \(traveller)'s clearance; propose again")
        case .alreadyDeparted(let status): .conflict("already-departed", "the booking is \(status.rawValue)")
        case .notConfirmed(let status): .conflict("not-confirmed", "the booking is \(status.rawValue)")
        case .travellersUnaccounted: .invalid("/boarded", "travellers-unaccounted", "every traveller of the booking is either boarded or a no-show, once")
        case .noShowActionRequired: .invalid("/noShowAction", "no-show-action-required", "with a no-show, say whether to rebook or cancel")
        case .preEmbarkationCheckMissing(let traveller, let i):
            .conflict("pre-embarkation-check-missing", "\(traveller) has no passed pre-embarkation check for this booking", field: "/boarded/\(i)")
        case .orientationMissing(let traveller, let i):
            .conflict("orientation-missing", "the programme needs \(traveller)'s pre-departure orientation before departure; intake has not recorded it",
                      field: "/boarded/\(i)")
        case .departureInFuture: .invalid("/departedAt", "departure-in-future", "the departure time is in the future")
        case .departureOutsideSchedule(let at, let window, let scheduled, let stated):
            .invalid(stated ? "/departedAt" : nil, "departure-outside-schedule",
                     "a departure of this booking is recorded from \(Instant.format(window.lowerBound)) to \(Instant.format(window.upperBound)) "
                         + "(scheduled \(Instant.format(scheduled))); this one is at \(Instant.format(at))")
        case .notDeparted(let status): .conflict("not-departed", "the booking is \(status.rawValue)")
        case .notATransitPoint(let airport): .invalid("/airport", "not-a-transit-point", "the itinerary does not connect at \(airport.prefix(3))")
        case .transitOutsideJourney(let departedAt, let stated):
            .invalid(stated ? "/at" : nil, "transit-outside-journey", "a transit is between the departure (\(Instant.format(departedAt))) and now")
        case .alreadyArrived: .conflict("already-arrived", "the booking is \(BookingStatus.arrived.rawValue)")
        case .arrivalInFuture: .invalid("/arrivedAt", "arrival-in-future", "the arrival time is in the future")
        case .arrivalBeforeDeparture: .invalid("/arrivedAt", "arrival-before-departure", "the arrival is before the departure")
        case .arrivalOutsideSchedule(let at, let window, let stated):
            .invalid(stated ? "/arrivedAt" : nil, "arrival-outside-schedule",
                     "an arrival of this booking is recorded from \(Instant.format(window.lowerBound)) to \(Instant.format(window.upperBound)) "
                         + "(the recorded departure plus the scheduled journey time); this one is at \(Instant.format(at))")
        case .reasonNotAllowed:
            .invalid("/reason", "reason-not-allowed", "officers cancel for 'operational' or 'traveller-not-cleared'; the other reasons follow from events")
        case .notCancellable(let status): .conflict("not-cancellable", "the booking is \(status.rawValue)")
        }
    }
}
