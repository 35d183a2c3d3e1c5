import Foundation
import HomewardModel
import TravelBookingAPI

/// A traveller as travel booking knows them: family role, travel document, and what
/// health said of their fitness to travel (never why).
struct Traveller: Sendable {
    var travellerID: TravellerID
    var familyRole: FamilyRole
    var documentStatus: TravelDocumentStatus
    var clearance: ClearanceStatus
    var validFrom: Date?
    var validUntil: Date?
    var travelRequirements: [TravelRequirement]
    var orientation: OrientationStatus = .notRequired

    /// Whether the clearance window holds `departure` (no window holds nothing).
    func clearanceCovers(_ departure: Date) -> Bool {
        (validFrom ?? .distantFuture) <= departure && departure <= (validUntil ?? .distantPast)
    }
}

/// What intake's events told travel booking of a case, as far as readiness asks.
struct CaseFacts: Sendable {
    var status: TravelCaseStatus
    var registered: Bool
    var eligible: Bool
    var declared: Bool
    /// The person withdrew consent to processing (``ConsentStore``).
    var processingWithdrawn = false
}

/// Whether a case can be booked now, and every reason why not.
struct Readiness: Sendable, Equatable {
    var reasons: [String]
    var bookable: Bool { reasons.isEmpty }

    /// The case (nil: unknown here) and its travellers at `now`: registered, active,
    /// eligible, declared, and every traveller cleared until after `now`.
    init(_ facts: CaseFacts?, travellers: [Traveller], at now: Date) {
        guard let facts else {
            reasons = ["the case is unknown to travel booking"]
            return
        }
        var reasons: [String] = []
        if !facts.registered { reasons.append("the registration has not reached travel booking yet") }
        if facts.status != .active {
            let reason = switch facts.status {
            case .arrived: "the family has already arrived"
            case .lateEntry: "a late entry: the family returned before it was registered"
            default: "the case is \(facts.status.rawValue)"
            }
            reasons.append(reason)
        }
        if !facts.eligible { reasons.append("the case is not (yet) eligible") }
        if facts.processingWithdrawn { reasons.append("the person withdrew consent to processing") }
        if !facts.declared { reasons.append("the informed-choice declaration, consent or eligibility is not complete at intake") }
        for t in travellers {
            switch t.clearance {
            case .valid where (t.validUntil ?? .distantPast) > now: break
            case .valid, .lapsed: reasons.append("\(t.travellerID): clearance has lapsed")
            case .noClearance: reasons.append("\(t.travellerID): not cleared to travel yet")
            case .onHold, .notCleared: reasons.append("\(t.travellerID): \(t.clearance.rawValue)")
            }
        }
        self.reasons = reasons
    }
}
