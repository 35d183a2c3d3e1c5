import Foundation
import HomewardModel
import HomewardStore
@testable import TravelBooking
import Testing
import TravelBookingAPI

/// What goes to the airline: the manifest's services and escorts (health's requirements)
/// on consent to processing or a supervisor's exception in force, and only the airline's
/// dataset.
extension TravelWorkflowTests {
    func manifest(at now: Date = TravelFixtures.now) throws -> Manifest {
        try store.read { db in try TravelRepository.manifest(flightNumber: "AV37", date: LocalDate("2026-07-01")!, now: now, in: db) }
    }

    func wheelchairUser(at now: Date = TravelFixtures.now) throws -> Manifest.Passenger {
        try #require(try manifest(at: now).passengers.first { $0.travellerID == "C1-T2" })
    }

    @Test func theAirlineGetsHealthsServicesOnConsentOrAnExceptionInForce() throws {
        _ = try confirmedBooking()
        var line = try wheelchairUser()
        #expect(line.items.isEmpty && line.itemsWithheld && line.itemsBasis == nil, "no consent recorded: withheld")
        #expect(try manifest().passengers.allSatisfy { $0.travellerID == "C1-T2" || !$0.itemsWithheld }, "nothing to withhold for the others")
        let until = TravelFixtures.now.addingTimeInterval(3_600)
        try apply(ExceptionChanged(purpose: .processing, legalBasis: .vitalInterest, inForce: true, validUntil: until))
        line = try wheelchairUser()
        #expect(line.items.map(\.code) == ["WCHR"] && line.itemsBasis == "vital-interest" && !line.itemsWithheld)
        #expect(try wheelchairUser(at: until).itemsWithheld, "expired")
        try apply(ExceptionChanged(purpose: .processing, legalBasis: .vitalInterest, inForce: false), at: TravelFixtures.now.addingTimeInterval(60))
        #expect(try wheelchairUser().itemsWithheld, "withdrawn")
        try apply(ConsentChanged(purpose: .processing, granted: true))
        line = try wheelchairUser()
        #expect(line.items.map(\.code) == ["WCHR"] && line.itemsBasis == "consent")
    }

    @Test func theManifestHoldsTheAirlinesDatasetOnly() throws {
        _ = try confirmedBooking()
        try apply(ConsentChanged(purpose: .processing, granted: true))
        let manifest = try manifest()
        // Every field the manifest has is one the airline may receive: a new one is decided here first.
        let fields = Dataset.paths(of: try JSONSerialization.jsonObject(with: try EventCoding.encoder().encode(manifest)))
        #expect(fields.isSubset(of: Recipient.airline.dataset), "\(fields.subtracting(Recipient.airline.dataset))")
        let bytes = try Dataset.encode(manifest, for: .airline)
        let sent = Dataset.paths(of: try JSONSerialization.jsonObject(with: bytes))
        #expect(sent == fields && sent.contains("passengers.items.code"))
        let read = try EventCoding.decoder().decode(Manifest.self, from: bytes)
        #expect(read.passengers.map(\.itemsWithheld) == manifest.passengers.map(\.itemsWithheld) && read.date == manifest.date, "values as encoded")
    }
}
