public import Foundation
public import HomewardClient
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The four services as staff reach them: a caseworker at intake, a health officer, a
/// movement officer and a reintegration officer, each with the service's typed client.
public struct Staff: Sendable {
    /// Intake: caseworkers.
    public let intake: IntakeClient
    /// Health screening: health officers.
    public let health: HealthScreeningClient
    /// Travel booking: movement officers.
    public let travel: TravelBookingClient
    /// Reintegration: reintegration officers.
    public let reintegration: ReintegrationClient
    /// Reintegration, as the supervisor who approves plans.
    public let supervisor: ReintegrationClient
    /// Deadlines and poll pacing.
    public let timing: Timing
    /// The stack's clock minus this process's, in seconds (see ``withStackClock()``).
    public let clockOffset: TimeInterval

    /// Staff working four services at these base URLs.
    ///
    /// - Parameters:
    ///   - faults: a fault hook called around every request (``RequestFaults``).
    ///   - timing: deadlines and poll pacing.
    ///   - maximumConnectionsPerService: HTTP connections kept per service; raise it when
    ///     hundreds of journeys share one `Staff`.
    ///   - observer: told each answered request and how long it took, in seconds (the benchmark's HTTP latencies).
    public init(intake: URL, health: URL, travel: URL, reintegration: URL, credentials: StaffCredentials, faults: (any RequestFaults)? = nil,
                timing: Timing = Timing(), maximumConnectionsPerService: Int = 32,
                observer: (@Sendable (OutgoingRequest, Double) -> Void)? = nil) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = maximumConnectionsPerService
        let seconds = Double(timing.requestTimeout.components.seconds) + Double(timing.requestTimeout.components.attoseconds) / 1e18
        configuration.timeoutIntervalForRequest = seconds
        configuration.timeoutIntervalForResource = seconds * 2
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        let session = URLSession(configuration: configuration)
        func api(_ name: String, _ base: URL, _ authorization: String?) -> ServiceAPI {
            ServiceAPI(name: name, base: base, session: session, authorization: authorization, faults: faults, observer: observer)
        }
        self.init(intake: IntakeClient(api("intake", intake, credentials.caseworker)),
                  health: HealthScreeningClient(api("health-screening", health, credentials.healthOfficer)),
                  travel: TravelBookingClient(api("travel-booking", travel, credentials.movementOfficer)),
                  reintegration: ReintegrationClient(api("reintegration", reintegration, credentials.reintegrationOfficer)),
                  supervisor: ReintegrationClient(api("reintegration", reintegration, credentials.supervisor)),
                  timing: timing, clockOffset: 0)
    }

    /// Staff working the local stack: intake on `portBase`, health screening, travel
    /// booking and reintegration on the next three ports (`homeward up --port-base`).
    public init(host: String = "127.0.0.1", portBase: Int = 8081, credentials: StaffCredentials, faults: (any RequestFaults)? = nil, timing: Timing = Timing(),
                maximumConnectionsPerService: Int = 32, observer: (@Sendable (OutgoingRequest, Double) -> Void)? = nil) {
        func url(_ offset: Int) -> URL { URL(string: "http://\(host):\(portBase + offset)")! }
        self.init(intake: url(0), health: url(1), travel: url(2), reintegration: url(3), credentials: credentials, faults: faults, timing: timing,
                  maximumConnectionsPerService: maximumConnectionsPerService, observer: observer)
    }

    private init(intake: IntakeClient, health: HealthScreeningClient, travel: TravelBookingClient, reintegration: ReintegrationClient,
                 supervisor: ReintegrationClient,
                 timing: Timing, clockOffset: TimeInterval) {
        self.intake = intake
        self.health = health
        self.travel = travel
        self.reintegration = reintegration
        self.supervisor = supervisor
        self.timing = timing
        self.clockOffset = clockOffset
    }

    /// The four clients, in the order a case meets them.
    public var services: [ServiceAPI] { [intake.api, health.api, travel.api, reintegration.api] }

    /// Now, on the stack's clock: this process's clock plus ``clockOffset``.
    public var now: Date { Date().addingTimeInterval(clockOffset) }

    /// These staff with ``clockOffset`` measured from intake's `Date` header, so that the
    /// dates journeys write (exam days, departures, deliveries) agree with the services'
    /// clocks even when the stack runs on a shifted clock. Offsets within 2 s (the header's
    /// one-second resolution) count as none. Retries transient failures until the step
    /// deadline.
    public func withStackClock() async throws -> Staff {
        let deadline = ContinuousClock.now.advanced(by: timing.stepDeadline)
        while true {
            do {
                let before = Date()
                let answer = try await intake.api.send("GET", "health/live", data: nil)
                let after = Date()
                guard let served = answer.date else { return self }
                guard let offset = Self.clockOffset(served: served, before: before, after: after) ?? (ContinuousClock.now < deadline ? nil : 0) else {
                    continue
                }
                return Staff(intake: intake, health: health, travel: travel, reintegration: reintegration, supervisor: supervisor, timing: timing,
                             clockOffset: offset)
            } catch let error as ServiceError where error.isTransient && ContinuousClock.now < deadline {
                try await Task.sleep(for: timing.retryPause)
            }
        }
    }

    /// The stack's clock minus ours, from a `Date` header `served` answered to a request sent
    /// at `before` and answered at `after` on our clock; nil when the answer came too slowly
    /// to tell. The header truncates to the second, so the server read its clock somewhere in
    /// [served, served + 1) while ours read somewhere in [before, after]: the offset lies in
    /// [served - after, served + 1 - before]. When that range comes within 2 s of none, it
    /// is none. (Its midpoint was taken before: an answer held 6 s by a restarting replica
    /// put a journey's clock 3 s ahead, and a delivery dated by it was refused as in the
    /// future.) Otherwise its midpoint, if the range is narrow enough to trust.
    static func clockOffset(served: Date, before: Date, after: Date) -> TimeInterval? {
        let lower = served.timeIntervalSince(after), upper = served.addingTimeInterval(1).timeIntervalSince(before)
        if lower - 2 <= 0 && 0 <= upper + 2 { return 0 }
        return upper - lower <= 3 ? (lower + upper) / 2 : nil
    }
}
