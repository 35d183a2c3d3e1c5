/// Where a case stands in travel booking (`travel_case.status`).
enum TravelCaseStatus: String, Sendable {
    /// Known here, not yet home: it may be booked once ready.
    case active
    case withdrawn
    /// Its eligibility was revoked.
    case revoked
    /// The family arrived: the return is done and the case is never booked again.
    case arrived
    /// A late entry: the family had returned before it was registered, so it is never booked.
    case lateEntry = "late-entry"
    /// Its personal data is erased: never booked again.
    case erased
}

/// A booking's state (`travel_booking.status`): proposed, then confirmed, departed and
/// arrived; on hold or cancelled along the way.
enum BookingStatus: String, Sendable {
    case proposed
    case confirmed
    /// Held by a health problem, a no-show or a document: rebooked, not confirmed.
    case onHold = "on-hold"
    case cancelled
    case departed
    case arrived

    /// Statuses a rebooking leaves behind: the booking still stands.
    static let open: [BookingStatus] = [.proposed, .confirmed]
    /// Statuses a withdrawal or an officer may still cancel.
    static let cancellable: [BookingStatus] = [.proposed, .confirmed, .onHold]
}

/// What travel booking learnt of a traveller's fitness to travel (`travel_traveller.clearance`).
enum ClearanceStatus: String, Sendable {
    /// No clearance yet.
    case noClearance = "none"
    /// Cleared, within `valid_from`...`valid_until`.
    case valid
    case lapsed
    case onHold = "on-hold"
    case notCleared = "not-cleared"
}
