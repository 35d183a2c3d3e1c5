import Foundation
import HomewardModel
import HomewardRuntime
import HomewardStore
import TestSupport
@testable import TravelBooking
import Testing
import TravelBookingAPI

/// Travel's subject export: the case, its travellers and bookings, sealed values opened.
extension TravelWorkflowTests {
    @Test func theSubjectExportHoldsTheCaseTravellersAndBookingsWithTheirSealedValuesOpened() throws {
        let sealed = try SubjectExports.sealedStore(.travelBooking, TravelSchema.self)
        let (workflow, handlers) = (self.workflow, TravelBookingService.handlers(self.workflow))
        let bookingID = try sealed.write { db in
            for payload in TravelFixtures.registration + [TravelFixtures.clearance("C1-T1"), TravelFixtures.clearance("C1-T2", requirements: [.wheelchair]),
                                                          TravelFixtures.clearance("C1-T3")] {
                try handlers.apply(.received(payload, case: "C1", at: TravelFixtures.now), in: db)
            }
            return try workflow.propose("C1", TravelFixtures.booking(remarks: "MARK-REMARK seat near the aisle"), in: db)
        }
        let part = try #require(try SubjectExports.part("C1", of: .travelBooking, TravelSchema.self, in: sealed))
        #expect(SubjectExports.gaps(in: part, TravelSchema.self).isEmpty, "\(SubjectExports.gaps(in: part, TravelSchema.self))")
        #expect(part.tables["travel_traveller"]?.map { $0["requirements"] } == [.array([]), .array([.string("wheelchair")]), .array([])])
        let booking = try #require(part.tables["travel_booking"]?.first)
        #expect(booking["booking_id"] == .string(bookingID.rawValue) && booking["remarks"] == .string("MARK-REMARK seat near the aisle"))
        #expect(booking["departure_at"] == .string("2026-07-01T11:30:00.000Z"), "instants as UTC text")
        guard case .array(let items)? = booking["items"], !items.isEmpty else { Issue.record("items as JSON: \(String(describing: booking["items"]))"); return }
        #expect(try SubjectExports.part("C2", of: .travelBooking, TravelSchema.self, in: sealed) == nil, "an unknown case: 404")
    }
}
