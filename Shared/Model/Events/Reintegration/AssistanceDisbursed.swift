public import Foundation

/// An in-kind disbursement against an approved plan item was recorded, or reversed.
/// Entries are never edited: a correction is a new entry with `reverses` and the
/// negated value, so the ledger always adds up.
///
/// Consumers: intake (timeline, reporting). What was delivered and by which partner
/// stay in reintegration.
public struct AssistanceDisbursed: EventPayload {
    public static let eventType = EventType("reintegration.assistance-disbursed", major: 1)

    public var disbursementID: DisbursementID
    public var itemID: PlanItemID
    public var category: AssistanceCategory
    /// The value delivered; negative on a reversing entry.
    public var value: Money
    /// When the assistance was delivered (or the reversed entry's delivery).
    public var deliveredAt: Date
    /// The entry this one reverses, on a reversing entry.
    public var reverses: DisbursementID?

    public init(disbursementID: DisbursementID, itemID: PlanItemID, category: AssistanceCategory, value: Money, deliveredAt: Date, reverses: DisbursementID? = nil) {
        self.disbursementID = disbursementID
        self.itemID = itemID
        self.category = category
        self.value = value
        self.deliveredAt = deliveredAt
        self.reverses = reverses
    }
}
