/// A second officer (not the author) approved the reintegration plan. A revised plan
/// is approved again; the latest approval replaces the earlier ones.
///
/// Consumers: intake (timeline; 5W "what", by sector). Partners, assessments and the
/// reasoning behind the plan stay in reintegration.
public struct PlanApproved: EventPayload {
    public static let eventType = EventType("reintegration.plan-approved", major: 1)

    public var items: [Item]

    public init(items: [Item]) {
        self.items = items
    }

    /// One approved in-kind item.
    public struct Item: Hashable, Codable, Sendable {
        public var itemID: PlanItemID
        public var dimension: ReintegrationDimension
        public var category: AssistanceCategory
        public var plannedAmount: Money

        public init(itemID: PlanItemID, dimension: ReintegrationDimension, category: AssistanceCategory, plannedAmount: Money) {
            self.itemID = itemID
            self.dimension = dimension
            self.category = category
            self.plannedAmount = plannedAmount
        }
    }
}
