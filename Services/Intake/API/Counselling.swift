public import Foundation
public import HomewardModel

/// A counselling session as a caseworker records it (`POST /cases/{id}/counselling`): when,
/// how, in which language, what was covered and where the person stands. The programme
/// decides how many the informed-choice declaration needs first.
public struct CounsellingInput: Codable, Sendable, Equatable {
    /// When the session was held; defaults to now. Not in the future, not before the referral.
    public var heldAt: Date?
    public var mode: CounsellingMode
    /// The language the session was held in, a language code (`es`, `fr`, `pt-BR`).
    public var language: String
    /// Whether an interpreter took part.
    public var interpreter: Bool
    /// What was covered: at least one, each once.
    public var topics: [CounsellingTopic]
    public var outcome: CounsellingOutcome
    /// The counsellor's notes: free text, sealed at rest, erased with the case's personal data.
    public var notes: String?
    /// The counsellor: the caller (named `recordedBy` as every actor is, so that a body
    /// naming it is refused).
    @FromToken public var recordedBy: String
    public init(heldAt: Date? = nil, mode: CounsellingMode, language: String, interpreter: Bool, topics: [CounsellingTopic],
                outcome: CounsellingOutcome, notes: String? = nil, recordedBy: String = "") {
        self.heldAt = heldAt; self.mode = mode; self.language = language; self.interpreter = interpreter; self.topics = topics
        self.outcome = outcome; self.notes = notes; self.recordedBy = recordedBy
    }
}

public enum CounsellingMode: String, Codable, Sendable, ClosedSet {
    case inPerson = "in-person"
    case phone
    case video
}

/// What a counselling session covered.
public enum CounsellingTopic: String, Codable, Sendable, ClosedSet {
    case returnOptions = "return-options"
    case voluntariness
    case assistanceAvailable = "assistance-available"
    case healthAndTravel = "health-and-travel"
    case documents
    case familyAndChildren = "family-and-children"
    case alternativesToReturn = "alternatives-to-return"
}

/// Where the person stands after the session.
public enum CounsellingOutcome: String, Codable, Sendable, ClosedSet {
    case wishesToReturn = "wishes-to-return"
    case undecided
    case doesNotWishToReturn = "does-not-wish-to-return"
    case followUpNeeded = "follow-up-needed"
}

/// A recorded counselling session; `notes` is absent once the case's personal data is erased.
public struct CounsellingView: Codable, Sendable, Equatable {
    public var heldAt: Date
    public var mode: CounsellingMode
    public var language: String
    public var interpreter: Bool
    public var topics: [CounsellingTopic]
    public var outcome: CounsellingOutcome
    public var notes: String?
    public var counsellor: String
    public var recordedAt: Date
    public init(heldAt: Date, mode: CounsellingMode, language: String, interpreter: Bool, topics: [CounsellingTopic], outcome: CounsellingOutcome,
                notes: String? = nil, counsellor: String, recordedAt: Date) {
        self.heldAt = heldAt; self.mode = mode; self.language = language; self.interpreter = interpreter; self.topics = topics
        self.outcome = outcome; self.notes = notes; self.counsellor = counsellor; self.recordedAt = recordedAt
    }
}
