public import Foundation
public import HomewardModel

/// A traveller's pre-departure orientation as a caseworker records it
/// (`POST /cases/{id}/travellers/{travellerID}/orientation`).
public struct OrientationInput: Codable, Sendable, Equatable {
    /// When the session was held; defaults to now. Not in the future, not before the referral.
    public var heldAt: Date?
    /// The language the session was held in, a language code.
    public var language: String
    public var interpreter: Bool
    /// What was covered: at least one, each once.
    public var topics: [OrientationTopic]
    /// The caseworker recording it: the caller.
    @FromToken public var recordedBy: String
    public init(heldAt: Date? = nil, language: String, interpreter: Bool, topics: [OrientationTopic], recordedBy: String = "") {
        self.heldAt = heldAt; self.language = language; self.interpreter = interpreter; self.topics = topics; self.recordedBy = recordedBy
    }
}

/// What a pre-departure orientation covered.
public enum OrientationTopic: String, Codable, Sendable, ClosedSet {
    /// What happens at arrival.
    case arrivalProcedures = "arrival-procedures"
    /// The reintegration assistance and how it is delivered.
    case reintegrationAssistance = "reintegration-assistance"
    /// Whom to contact, before and after the return.
    case contacts
    case travelDay = "travel-day"
}

/// A traveller's latest recorded orientation.
public struct OrientationView: Codable, Sendable, Equatable {
    public var heldAt: Date
    public var language: String
    public var interpreter: Bool
    public var topics: [OrientationTopic]
    public var recordedBy: String
    public var recordedAt: Date
    public init(heldAt: Date, language: String, interpreter: Bool, topics: [OrientationTopic], recordedBy: String, recordedAt: Date) {
        self.heldAt = heldAt; self.language = language; self.interpreter = interpreter; self.topics = topics
        self.recordedBy = recordedBy; self.recordedAt = recordedAt
    }
}
