/// A second officer (not the author) approved the reintegration plan. A revised plan
/// is approved again; the latest approval replaces the earlier ones.
///
/// Consumers: intake (timeline; 5W "what", by sector). Partners, assessments and the
/// reasoning behind the plan stay in reintegration.
public struct PlanApproved: EventPayload {
    public static let eventType = EventType("reintegration.plan-approved", major: 1)
    public static let producer = ServiceName.reintegration

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

    public static var examples: [PlanApproved] {
        [
            PlanApproved(items: [
                Item(itemID: "itm-01", dimension: .economic, category: .businessStartUp, plannedAmount: Example.cad(900)),
                Item(itemID: "itm-02", dimension: .economic, category: .vocationalTraining, plannedAmount: Example.cad(300)),
                Item(itemID: "itm-03", dimension: .economic, category: .jobPlacement, plannedAmount: Example.cad(150)),
                Item(itemID: "itm-04", dimension: .social, category: .education, plannedAmount: Example.cad(250)),
                Item(itemID: "itm-05", dimension: .social, category: .housing, plannedAmount: Example.cad(200)),
                Item(itemID: "itm-06", dimension: .social, category: .medical, plannedAmount: Example.cad(100)),
                Item(itemID: "itm-07", dimension: .psychosocial, category: .psychosocialSupport, plannedAmount: Example.cad(99, cents: 99)),
            ]),
        ]
    }
}
