public import Foundation

/// A traveller was cleared to travel, possibly with travel requirements, for a validity
/// window. Supersedes any earlier clearance or hold of the traveller.
///
/// Consumers: travel booking (bookability; departure must fall inside every traveller's
/// window; requirements become booking items), intake (timeline, Health sector
/// reporting). The exam, results, notes and conditions behind it never leave health.
public struct ClearanceIssued: EventPayload {
    public static let eventType = EventType("health-screening.clearance-issued", major: 1)

    public var travellerID: TravellerID
    public var outcome: ClearanceOutcome
    /// Empty for `cleared`, at least one for `clearedWithRequirements`.
    public var travelRequirements: [TravelRequirement]
    public var validFrom: Date
    /// After this instant the clearance no longer covers a departure.
    public var validUntil: Date

    public init(travellerID: TravellerID, outcome: ClearanceOutcome, travelRequirements: [TravelRequirement] = [], validFrom: Date, validUntil: Date) {
        self.travellerID = travellerID
        self.outcome = outcome
        self.travelRequirements = travelRequirements
        self.validFrom = validFrom
        self.validUntil = validUntil
    }
}
