import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore
@testable import TravelBooking
import TestSupport
import TravelBookingAPI

enum TravelFixtures {
    static let now = Instant.parse("2026-06-15T12:00:00.000Z")!

    static func makeStore() throws -> Store {
        try Store(path: try makeWorkDirectory("travel").appendingPathComponent("travel.sqlite").path, migrations: TravelSchema.register)
    }

    static let travellers: [TravellerID] = ["C1-T1", "C1-T2", "C1-T3"]

    /// A family of three, eligible, declared, with a target departure on 2026-07-15.
    static let registration: [any EventPayload] = [
        CaseRegistered(programmeID: "generic-avrr", travellers: [
            .init(travellerID: "C1-T1", familyRole: .principal, travelDocumentStatus: .valid),
            .init(travellerID: "C1-T2", familyRole: .parent, travelDocumentStatus: .valid),
            .init(travellerID: "C1-T3", familyRole: .child, travelDocumentStatus: .appliedFor),
        ], returnCountry: "CO", returnCity: "Bogotá"),
        EligibilityDecided(eligible: true, reasons: [], assistance: AssistanceGrant(tier: .full, budget: Money(amountMinor: 150_000, currency: "EUR")),
                           targetDepartureBy: Instant.parse("2026-07-15T23:59:59.999Z")!),
        ReadyForScreening(travellers: [.init(travellerID: "C1-T1", ageYears: 40, sex: .female), .init(travellerID: "C1-T2", ageYears: 70, sex: .male),
                                       .init(travellerID: "C1-T3", ageYears: 4, sex: .female)]),
    ]

    static func clearance(_ t: TravellerID, requirements: [TravelRequirement] = [], until: String = "2027-06-10T23:59:59.999Z") -> ClearanceIssued {
        ClearanceIssued(travellerID: t, outcome: requirements.isEmpty ? .cleared : .clearedWithRequirements, travelRequirements: requirements,
                        validFrom: Instant.parse("2026-06-10T00:00:00.000Z")!, validUntil: Instant.parse(until)!)
    }

    /// YYZ → BOG via MIA on 2026-07-01.
    static func segments(connectionMinutes: Int = 90) -> [SegmentInput] {
        let departs = 10 * 60 + 35 + connectionMinutes  // first lands MIA 10:35 local (both segments America/New_York)
        return [
            SegmentInput(flightNumber: "AC1234", from: "YYZ", to: "MIA", departsLocal: "2026-07-01T07:30", departureTimeZone: "America/Toronto",
                         arrivesLocal: "2026-07-01T10:35", arrivalTimeZone: "America/New_York", transitAssistance: nil),
            SegmentInput(flightNumber: "AV37", from: "MIA", to: "BOG", departsLocal: String(format: "2026-07-01T%02d:%02d", departs / 60, departs % 60),
                         departureTimeZone: "America/New_York", arrivesLocal: "2026-07-01T18:10", arrivalTimeZone: "America/Bogota", transitAssistance: true),
        ]
    }

    static func booking(connectionMinutes: Int = 90, travellers: [TravellerID] = travellers, remarks: String? = nil, reason: String? = nil) -> BookingRequest {
        BookingRequest(travellerIDs: travellers, segments: segments(connectionMinutes: connectionMinutes), remarks: remarks, lateDepartureReason: reason, recordedBy: "mo-1")
    }
}
