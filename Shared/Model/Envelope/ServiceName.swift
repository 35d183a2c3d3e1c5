/// The four services, and the Kafka names that follow from each.
public enum ServiceName: String, CaseIterable, Codable, Sendable {
    case intake
    case healthScreening = "health-screening"
    case travelBooking = "travel-booking"
    case reintegration

    /// The topic this service publishes its events to, keyed by case id.
    public var topic: String { "homeward.\(rawValue).events" }
    /// The consumer group of this service's consumers.
    public var consumerGroup: String { "homeward.\(rawValue)" }
    /// Where this service's consumer group sends events it cannot apply.
    public var deadLetterTopic: String { "homeward.\(rawValue).dlq" }
    /// CloudEvents `source` attribute of the events it publishes.
    public var eventSource: String { "/homeward/\(rawValue)" }

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
