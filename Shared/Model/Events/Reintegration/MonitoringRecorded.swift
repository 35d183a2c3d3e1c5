public import Foundation

/// A monitoring visit was recorded with its sustainability scores. The survey answers
/// stay in reintegration; only the scores are published.
///
/// Consumers: intake (timeline).
public struct MonitoringRecorded: EventPayload {
    public static let eventType = EventType("reintegration.monitoring-recorded", major: 1)
    public static let producer = ServiceName.reintegration

    public var visitedAt: Date
    public var scores: SustainabilityScores

    public init(visitedAt: Date, scores: SustainabilityScores) {
        self.visitedAt = visitedAt
        self.scores = scores
    }

    public static var examples: [MonitoringRecorded] {
        [
            MonitoringRecorded(
                visitedAt: Example.instant("2013-08-12T16:30:00.000Z"),
                scores: SustainabilityScores(economic: 0.5, social: 0.75, psychosocial: 0.625, composite: 0.6)),
            MonitoringRecorded(
                visitedAt: Example.instant("2014-02-10T17:00:00.000Z"),
                scores: SustainabilityScores(economic: 0, social: 1, psychosocial: 0.33, composite: 0.41)),
        ]
    }
}
