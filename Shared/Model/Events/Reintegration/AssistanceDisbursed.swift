public import Foundation

/// An in-kind disbursement against an approved plan item was recorded, or reversed.
/// Entries are never edited: a correction is a new entry with `reverses` and the
/// negated value, so the ledger always adds up.
///
/// Consumers: intake (timeline, reporting). What was delivered and by which partner
/// stay in reintegration.
public struct AssistanceDisbursed: EventPayload {
    public static let eventType = EventType("reintegration.assistance-disbursed", major: 1)
    public static let producer = ServiceName.reintegration

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

    public static var examples: [AssistanceDisbursed] {
        let others: [AssistanceDisbursed] = AssistanceCategory.allCases.enumerated().map { index, category in
            AssistanceDisbursed(
                disbursementID: DisbursementID("dsb-01\(index)"), itemID: PlanItemID("itm-0\(index + 1)"),
                category: category, value: Example.cad(100, cents: Int64(index)),
                deliveredAt: Example.instant("2013-06-0\(index + 1)T15:00:00.000Z"))
        }
        return [
            AssistanceDisbursed(
                disbursementID: "dsb-0001", itemID: "itm-01", category: .businessStartUp,
                value: Example.cad(450), deliveredAt: Example.instant("2013-05-20T15:00:00.000Z")),
            AssistanceDisbursed(
                disbursementID: "dsb-0002", itemID: "itm-01", category: .businessStartUp,
                value: Example.cad(450).negated, deliveredAt: Example.instant("2013-05-20T15:00:00.000Z"),
                reverses: "dsb-0001"),
        ] + others
    }
}
