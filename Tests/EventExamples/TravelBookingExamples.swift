import Foundation
public import HomewardModel

extension Arrived: ExampleEvent {
    public static var examples: [Arrived] {
        [
            Arrived(
                bookingID: Example.booking, arrivedAt: Example.instant("2013-04-11T06:52:00.000Z"),
                arrivalAirport: "GDL", returnCountry: "MX",
                travellerIDs: [Example.principal, Example.spouse, Example.child]),
        ]
    }
}

extension BookingCancelled: ExampleEvent {
    public static var examples: [BookingCancelled] {
        BookingCancellationReason.allCases.map { BookingCancelled(bookingID: Example.booking, reason: $0) }
    }
}

extension BookingConfirmed: ExampleEvent {
    public static var examples: [BookingConfirmed] {
        [
            BookingConfirmed(
                bookingID: Example.booking, travellerIDs: [Example.principal, Example.spouse, Example.child],
                departureAt: Example.instant("2013-04-10T22:15:00.000Z"),
                arrivalAt: Example.instant("2013-04-11T06:40:00.000Z"),
                arrivalAirport: "GDL", arrivalFlightNumber: "AM681"),
        ]
    }
}

extension BookingOnHold: ExampleEvent {
    public static var examples: [BookingOnHold] {
        [
            BookingOnHold(bookingID: Example.booking, reason: .clearanceLapsed, travellerIDs: [Example.child]),
            BookingOnHold(
                bookingID: Example.booking, reason: .healthHold, travellerIDs: [Example.spouse],
                holdUntil: Example.instant("2013-04-15T00:00:00.000Z")),
            BookingOnHold(bookingID: Example.booking, reason: .travellerNotCleared, travellerIDs: [Example.principal]),
            BookingOnHold(bookingID: Example.booking, reason: .preEmbarkationCheckNotPassed, travellerIDs: [Example.child]),
            BookingOnHold(bookingID: Example.booking, reason: .noShow, travellerIDs: [Example.spouse]),
            BookingOnHold(bookingID: Example.booking, reason: .travelDocumentInvalid, travellerIDs: [Example.child]),
            BookingOnHold(bookingID: Example.rebooking, reason: .scheduleChange),
        ]
    }
}

extension BookingProposed: ExampleEvent {
    public static var examples: [BookingProposed] {
        [
            BookingProposed(
                bookingID: Example.booking, travellerIDs: [Example.principal, Example.spouse, Example.child],
                departureAt: Example.instant("2013-04-10T22:15:00.000Z"),
                arrivalAt: Example.instant("2013-04-11T06:40:00.000Z")),
            BookingProposed(
                bookingID: Example.rebooking, travellerIDs: [Example.principal, Example.spouse, Example.child],
                departureAt: Example.instant("2013-04-24T22:15:00.000Z"),
                arrivalAt: Example.instant("2013-04-25T06:40:00.000Z"), rebookingOf: Example.booking),
        ]
    }
}

extension Departed: ExampleEvent {
    public static var examples: [Departed] {
        [
            Departed(
                bookingID: Example.booking, departedAt: Example.instant("2013-04-10T22:31:00.000Z"),
                travellerIDs: [Example.principal, Example.spouse, Example.child]),
            Departed(
                bookingID: Example.rebooking, departedAt: Example.instant("2013-04-24T22:20:00.000Z"),
                travellerIDs: [Example.principal, Example.child], noShowTravellerIDs: [Example.spouse]),
        ]
    }
}

extension TravelErasureApplied: ExampleEvent {
    public static var examples: [TravelErasureApplied] { [TravelErasureApplied()] }
}
