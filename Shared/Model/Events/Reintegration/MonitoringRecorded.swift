public import Foundation

/// A monitoring visit was recorded with its sustainability scores. The survey answers
/// stay in reintegration; only the scores are published.
///
/// Consumers: intake (timeline).
public struct MonitoringRecorded: EventPayload {
    public static let eventType = EventType("reintegration.monitoring-recorded", major: 1)

    public var visitedAt: Date
    public var scores: SustainabilityScores

    public init(visitedAt: Date, scores: SustainabilityScores) {
        self.visitedAt = visitedAt
        self.scores = scores
    }
}
