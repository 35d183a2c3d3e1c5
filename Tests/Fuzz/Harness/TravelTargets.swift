import Foundation
import HomewardModel
@testable import TravelBooking
import TravelBookingAPI

// Travel booking's request bodies (BookingsController). A proposed booking goes on through
// the two checks TravelWorkflow.propose runs that need no store: the anonymity check of
// every free-text field, and the itinerary rules (codes, local times in IANA zones,
// connections) with the service's default minimum connection of 60 minutes.

let travelTargets: [FuzzTarget] = [
    requestTarget("travel.BookingRequest", BookingRequest.self, seeds: { bookings() }) { request in
        try Anonymity.check(
            [(field: "/remarks", value: request.remarks ?? ""), (field: "/lateDepartureReason", value: request.lateDepartureReason ?? "")]
                + request.segments.enumerated().map { (field: "/segments/\($0.offset)/flightNumber", value: $0.element.flightNumber) })
        _ = try ItineraryRules.resolve(request.segments, minimumConnection: .seconds(60 * 60))
    },
    requestTarget("travel.ConfirmationInput", ConfirmationInput.self, seeds: { [ConfirmationInput(recordedBy: "mo-1")] }),
    requestTarget("travel.DocumentUpdate", DocumentUpdate.self, seeds: {
        TravelDocumentStatus.allCases.map { DocumentUpdate(travelDocumentStatus: $0, recordedBy: "mo-1") }
    }),
    requestTarget("travel.DepartureInput", DepartureInput.self, seeds: {
        [DepartureInput(boarded: ["HW-1-T1", "HW-1-T2"], noShows: nil, noShowAction: nil, departedAt: nil, recordedBy: "mo-1"),
         DepartureInput(boarded: [], noShows: ["HW-1-T1"], noShowAction: .rebook,
                        departedAt: Instant.parse("2026-11-22T14:05:00.000Z")!, recordedBy: "mo-1"),
         DepartureInput(boarded: [], noShows: ["HW-1-T2"], noShowAction: .cancel, departedAt: nil, recordedBy: "mo-1")]
    }),
    requestTarget("travel.TransitInput", TransitInput.self, seeds: {
        [TransitInput(airport: "BOG", at: Instant.parse("2026-11-22T20:40:00.000Z")!, recordedBy: "mo-1"),
         TransitInput(airport: "PTY", at: nil, recordedBy: "mo-1")]
    }),
    requestTarget("travel.ArrivalInput", ArrivalInput.self, seeds: {
        [ArrivalInput(arrivedAt: Instant.parse("2026-11-23T02:10:00.000Z")!, recordedBy: "mo-1"), ArrivalInput(arrivedAt: nil, recordedBy: "mo-1")]
    }),
    requestTarget("travel.CancellationInput", CancellationInput.self, seeds: {
        BookingCancellationReason.allCases.map { CancellationInput(reason: $0, recordedBy: "mo-1") }
    }),
]

/// A direct flight, and a connection through a fall-back night with every optional field.
private func bookings() -> [BookingRequest] {
    [BookingRequest(
        travellerIDs: ["HW-1-T1", "HW-1-T2"],
        segments: [SegmentInput(flightNumber: "AC96", from: "YYZ", to: "BOG", departsLocal: "2026-12-01T09:00",
                                departureTimeZone: "America/Toronto", arrivesLocal: "2026-12-01T14:30", arrivalTimeZone: "America/Bogota",
                                transitAssistance: nil)],
        remarks: nil, lateDepartureReason: nil, recordedBy: "mo-1"),
     BookingRequest(
        travellerIDs: ["HW-1-T1"],
        segments: [SegmentInput(flightNumber: "AC1234", from: "YYZ", to: "MEX", departsLocal: "2026-11-01T01:30:00",
                                departureTimeZone: "America/Toronto", arrivesLocal: "2026-11-01T05:10", arrivalTimeZone: "America/Mexico_City",
                                transitAssistance: true),
                   SegmentInput(flightNumber: "AM2X", from: "MEX", to: "GDL", departsLocal: "2026-11-01T08:00",
                                departureTimeZone: "America/Mexico_City", arrivesLocal: "2026-11-01T09:25", arrivalTimeZone: "America/Mexico_City",
                                transitAssistance: false)],
        remarks: "wheelchair to the gate; departure lounge B", lateDepartureReason: "travel document renewed late", recordedBy: "mo-1")]
}
