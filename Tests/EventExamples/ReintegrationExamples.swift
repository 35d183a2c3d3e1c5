import Foundation
public import HomewardModel

extension AssistanceDisbursed: ExampleEvent {
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

extension MonitoringRecorded: ExampleEvent {
    public static var examples: [MonitoringRecorded] {
        [
            MonitoringRecorded(
                visitedAt: Example.instant("2013-08-12T16:30:00.000Z"),
                scores: SustainabilityScores(economic: 0.5, social: 0.75, psychosocial: 0.625, composite: 0.6)),
            MonitoringRecorded(
                visitedAt: Example.instant("2014-02-10T17:00:00.000Z"),
                scores: SustainabilityScores(economic: 0, social: 1, psychosocial: 0.33, composite: 0.41)),
        ]
    }
}

extension PlanApproved: ExampleEvent {
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

extension ReintegrationClosed: ExampleEvent {
    public static var examples: [ReintegrationClosed] {
        [
            ReintegrationClosed(outcome: .completed, totalDisbursed: Example.cad(1_999, cents: 99)),
            ReintegrationClosed(outcome: .partiallyCompleted, totalDisbursed: Example.cad(1_200)),
            ReintegrationClosed(outcome: .discontinued, totalDisbursed: Example.cad(0)),
            ReintegrationClosed(outcome: .lostContact, totalDisbursed: Example.cad(450)),
        ]
    }
}

extension ReintegrationOpened: ExampleEvent {
    public static var examples: [ReintegrationOpened] { [ReintegrationOpened(budget: Example.cad(2_000))] }
}

extension ReintegrationErasureApplied: ExampleEvent {
    public static var examples: [ReintegrationErasureApplied] { [ReintegrationErasureApplied()] }
}
