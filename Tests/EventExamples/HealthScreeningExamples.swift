import Foundation
public import HomewardModel

extension ClearanceIssued: ExampleEvent {
    public static var examples: [ClearanceIssued] {
        [
            ClearanceIssued(
                travellerID: Example.principal, outcome: .cleared,
                validFrom: Example.instant("2013-03-04T15:00:00.000Z"),
                validUntil: Example.instant("2014-03-04T15:00:00.000Z")),
            ClearanceIssued(
                travellerID: Example.spouse, outcome: .clearedWithRequirements,
                travelRequirements: [.wheelchair, .oxygen, .medicalEscort],
                validFrom: Example.instant("2013-03-05T14:30:00.000Z"),
                validUntil: Example.instant("2014-03-05T14:30:00.000Z")),
            ClearanceIssued(
                travellerID: Example.child, outcome: .clearedWithRequirements,
                travelRequirements: [.stretcher, .nonMedicalEscort],
                validFrom: Example.instant("2013-03-05T16:00:00.000Z"),
                validUntil: Example.instant("2013-09-05T16:00:00.000Z")),
        ]
    }
}

extension ClearanceLapsed: ExampleEvent {
    public static var examples: [ClearanceLapsed] {
        [ClearanceLapsed(travellerID: Example.child, validUntil: Example.instant("2013-09-05T16:00:00.000Z"))]
    }
}

extension ClearanceRefused: ExampleEvent {
    public static var examples: [ClearanceRefused] { [ClearanceRefused(travellerID: Example.principal)] }
}

extension HoldPlaced: ExampleEvent {
    public static var examples: [HoldPlaced] {
        [HoldPlaced(travellerID: Example.spouse, holdUntil: Example.instant("2013-04-15T00:00:00.000Z"))]
    }
}

extension PreEmbarkationCheckDone: ExampleEvent {
    public static var examples: [PreEmbarkationCheckDone] {
        [
            PreEmbarkationCheckDone(travellerID: Example.principal, bookingID: Example.booking, outcome: .cleared),
            PreEmbarkationCheckDone(
                travellerID: Example.spouse, bookingID: Example.booking, outcome: .clearedWithRequirements,
                travelRequirements: [.wheelchair, .stretcher, .oxygen, .medicalEscort, .nonMedicalEscort]),
            PreEmbarkationCheckDone(
                travellerID: Example.child, bookingID: Example.booking, outcome: .onHold,
                holdUntil: Example.instant("2013-04-20T12:00:00.000Z")),
            PreEmbarkationCheckDone(travellerID: Example.child, bookingID: Example.rebooking, outcome: .notCleared),
        ]
    }
}

extension ScreeningOpened: ExampleEvent {
    public static var examples: [ScreeningOpened] {
        [
            ScreeningOpened(travellerID: Example.principal, kind: .initial),
            ScreeningOpened(travellerID: Example.child, kind: .rescreen),
        ]
    }
}

extension HealthErasureApplied: ExampleEvent {
    public static var examples: [HealthErasureApplied] { [HealthErasureApplied()] }
}
