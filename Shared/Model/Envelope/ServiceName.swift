/// The four services, and the Kafka names that follow from each.
public enum ServiceName: String, CaseIterable, Codable, Sendable {
    case intake
    case healthScreening = "health-screening"
    case travelBooking = "travel-booking"
    case reintegration

    /// The topic this service publishes its events to, keyed by case id. Looked up, not
    /// built: every event published names it, and its ``eventSource``.
    public var topic: String { Self.topics[self]! }
    private static let topics = Dictionary(uniqueKeysWithValues: allCases.map { ($0, "homeward.\($0.rawValue).events") })
    /// The consumer group of this service's consumers.
    public var consumerGroup: String { "homeward.\(rawValue)" }
    /// Where this service's consumer group sends events it cannot apply.
    public var deadLetterTopic: String { "homeward.\(rawValue).dlq" }
    /// The compacted changelog of this service's partition stores (``ChangelogCapture``):
    /// not events, and read by no other service.
    public var changelogTopic: String { "homeward.\(rawValue).changelog" }
    /// Where the service's replicas announce the partition stores they own and their HTTP
    /// address (compacted, one partition, keyed by replica), so that a request reaches the
    /// owner of its case wherever it arrives. Read by the service's own replicas only.
    public var ownersTopic: String { "homeward.\(rawValue).owners" }
    /// Every topic the service writes to: the ones an embedded broker and a deployment's
    /// topic set-up create for it (the changelog compacted).
    public var ownedTopics: [String] { [topic, deadLetterTopic, changelogTopic] }
    /// Reintegration's partner directory (compacted, one partition, keyed by partner id):
    /// written by the replica that takes a supervisor's change, followed by every replica.
    /// Not events, and read by no other service.
    public var partnersTopic: String? { self == .reintegration ? "homeward.\(rawValue).partners" : nil }
    /// Topics of one partition whatever the partition count: ``ownersTopic``, and
    /// ``partnersTopic`` for reintegration.
    public var directoryTopics: [String] { [ownersTopic] + (partnersTopic.map { [$0] } ?? []) }
    /// Every topic of every service with its partition count, for an embedded broker.
    public static func allTopics(partitions: Int) -> [(name: String, partitions: Int)] {
        allCases.flatMap { service in service.ownedTopics.map { ($0, partitions) } + service.directoryTopics.map { ($0, 1) } }
    }
    /// CloudEvents `source` attribute of the events it publishes.
    public var eventSource: String { Self.eventSources[self]! }
    private static let eventSources = Dictionary(uniqueKeysWithValues: allCases.map { ($0, "/homeward/\($0.rawValue)") })

    /// The event types this service applies; any other type on its subscriptions is
    /// skipped when the catalogue knows it, dead-lettered when not. Part of the contract:
    /// the fault run checks every store against it.
    public var consumes: [any EventPayload.Type] {
        switch self {
        case .intake:
            EventCatalogue.all.filter { $0.producer != .intake }  // the timeline takes every other service's steps
        case .healthScreening:
            [ReadyForScreening.self, CaseWithdrawn.self, EligibilityRevoked.self, BookingConfirmed.self, Departed.self, BookingCancelled.self,
             BookingOnHold.self, PersonalDataErased.self, ConsentChanged.self, TravellerCorrected.self]
        case .travelBooking:
            [CaseRegistered.self, EligibilityDecided.self, ReadyForScreening.self, LateEntryReady.self, CaseWithdrawn.self, EligibilityRevoked.self,
             OrientationRecorded.self, OrientationRequired.self, ClearanceIssued.self, ClearanceLapsed.self, HoldPlaced.self, ClearanceRefused.self,
             PreEmbarkationCheckDone.self, PersonalDataErased.self, ConsentChanged.self, TravellerCorrected.self, ExceptionChanged.self]
        case .reintegration:
            [CaseRegistered.self, EligibilityDecided.self, ConsentChanged.self, ExceptionChanged.self, CaseWithdrawn.self, EligibilityRevoked.self, BookingConfirmed.self,
             BookingOnHold.self, BookingCancelled.self, Arrived.self, LateEntryReady.self, PersonalDataErased.self]
        }
    }

    /// The services whose events this one consumes: who listens to whom is part of the
    /// contract (the AsyncAPI document's receive operations), and `homeward lag` reads it.
    public var subscriptions: [ServiceName] {
        switch self {
        case .intake: [.healthScreening, .travelBooking, .reintegration]
        case .healthScreening: [.intake, .travelBooking]
        case .travelBooking: [.intake, .healthScreening]
        case .reintegration: [.intake, .travelBooking]
        }
    }
}
