import HomewardModel

/// Where a traveller's screening stands in this service.
enum TravellerStatus: String, Sendable {
    /// Screened, booked or waiting: officers work on the record.
    case active
    case departed
    /// The case was withdrawn or its eligibility revoked.
    case closed
    /// The case's personal data is erased.
    case erased
}

/// One screening's state: open until an outcome, then that outcome, until superseded by a
/// re-screen or closed with the case.
enum ScreeningStatus: String, Sendable {
    case open
    case onHold = "on-hold"
    case cleared
    case clearedWithRequirements = "cleared-with-requirements"
    case notCleared = "not-cleared"
    case superseded
    case closed

    init(_ outcome: FitnessOutcome) {
        switch outcome {
        case .cleared: self = .cleared
        case .clearedWithRequirements: self = .clearedWithRequirements
        case .onHold: self = .onHold
        case .notCleared: self = .notCleared
        }
    }

    /// Still awaiting an outcome (a hold ends in a new exam and an outcome).
    var isOpen: Bool { self == .open || self == .onHold }
}

/// A pre-embarkation check a confirmed booking asks for.
enum PreEmbarkationStatus: String, Sendable {
    case due
    case done
    /// Its booking was cancelled or replaced, the traveller departed or the case ended.
    case closed
}
