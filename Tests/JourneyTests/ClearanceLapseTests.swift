import Foundation
import HomewardJourneys
import TestSupport
import Testing

/// Journey 8: clearances end with a UTC day, so a lapse happens only at 00:00 UTC, and
/// this runs only when that is 4 to 9 minutes away; the journey waits through midnight
/// for the lapse, the hold, the re-screen and the rebooking. `Tests/lanes.sh` runs it in
/// a lane of its own (lane 4), beside the others, so that the wait (up to 11 minutes in
/// all, mostly asleep) overlaps their work. (A shifted clock would let it run at any hour,
/// but librdkafka's timed waits stall under libfaketime.)
@Suite("Clearance lapse at 00:00 UTC", .serialized)
struct ClearanceLapseTests {
    static var midnightIsNear: Bool {
        let toMidnight = 86_400 - Int(Date().timeIntervalSince1970) % 86_400
        return (240...540).contains(toMidnight)
    }

    @Test(.enabled(if: ClearanceLapseTests.midnightIsNear, "runs only 4 to 9 minutes before 00:00 UTC"))
    func aClearanceLapsesBeforeDepartureAndTheFamilyIsRebookedAndDeparts() async throws {
        let stack = try await JourneyStack()
        let (cluster, services) = (stack.cluster, stack.services)

        let staff = Staff(intake: services[0].baseURL, health: services[1].baseURL, travel: services[2].baseURL, reintegration: services[3].baseURL,
                          credentials: try await TestAccess.staffCredentials())
        let result = try await Journey.clearanceLapse(seed: 8).run(staff, progress: { _ in })
        #expect(result.bookingIDs.count >= 2, "booked, then rebooked after the lapse")

        let show = try ChildProcess("homeward", arguments: ["case", result.caseID, "--intake", services[0].baseURL.absoluteString],
                                    environment: [:], logDirectory: cluster.directory)
        #expect(await show.waitForExit() == 0)
        for step in ["clearance-lapsed", "booking-on-hold", "departed", "arrived"] {
            #expect(show.log.contains(step), "\(step) in the timeline: \(show.log)")
        }
        await stack.stop()
    }
}
