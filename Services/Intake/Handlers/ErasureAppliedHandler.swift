import GRDB
import HomewardModel
import HomewardRuntime

/// Which services confirm an erasure, and the timeline step that records each confirmation.
enum ErasureConfirmation {
    /// Every service that erases its own records on ``PersonalDataErased``.
    static let services = [ServiceName.healthScreening, .travelBooking, .reintegration].map(\.rawValue)
    static let step = "erasure-applied"
}

/// A service confirmed that it applied the case's erasure (``HealthErasureApplied``,
/// ``TravelErasureApplied``, ``ReintegrationErasureApplied``): a timeline step in its
/// name, from which the case shows who has confirmed and who has not.
struct ErasureAppliedHandler<Payload: EventPayload>: EventHandler {
    func handle(_ applied: Payload, of event: ReceivedEvent, in db: Database) throws {
        try CaseTimeline(of: event, in: db).step(ErasureConfirmation.step, "personal data erased")
    }
}
