import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore
@testable import Reintegration
import ReintegrationAPI
import TestSupport
import Testing

/// Every flow to the partner (a plan naming it, a referral, a disbursement through it, the
/// handover) needs consent to share with it or a supervisor's exception in force; the
/// handover holds the partner's dataset only.
extension ReintegrationWorkflowTests {
    func exception(inForce: Bool = true, until: Date? = nil, at time: Date = Self.arrived) throws {
        try apply(ExceptionChanged(purpose: .sharingWithReintegrationPartner, legalBasis: .bestInterests, inForce: inForce, validUntil: until), at: time)
    }

    /// The plan, the referral and the handover are each refused with `rule`, naming the
    /// purpose and the flow, and change nothing.
    func expectFlowsRefused(_ rule: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let flows: [(OutwardFlow, (Database) throws -> Void)] = [
            (.planItems, { db in try workflow.submitPlan("C1", PlanInput(items: [item(100_000)], recordedBy: "ro-1"), in: db) }),
            (.referral, { db in try workflow.refer("C1", Self.referral, in: db) }),
            (.receptionHandover, { db in _ = try workflow.handover("C1", in: db) }),
        ]
        for (flow, body) in flows {
            guard let problem = refusal(expecting: rule, sourceLocation: sourceLocation, { try store.write(body) }) else { continue }
            #expect(problem.rule == rule && problem.statusCode == 409 && problem.missing == ["sharing-with-reintegration-partner"], sourceLocation: sourceLocation)
            #expect(problem.detail?.contains("flow: \(flow.rawValue)") == true, "\(problem.detail ?? "")", sourceLocation: sourceLocation)
        }
        #expect(try view().plan == nil && view().referrals.isEmpty, "nothing written", sourceLocation: sourceLocation)
    }

    @Test func flowsToThePartnerNeedConsentToShareOrAnExceptionInForce() throws {
        try openCase(consent: false)
        try assessAll()
        try expectFlowsRefused("consent-missing")
        try apply(ConsentChanged(purpose: .sharingWithReintegrationPartner, granted: false))
        try expectFlowsRefused("consent-withdrawn")
        try exception(until: Self.now.addingTimeInterval(-1))
        try expectFlowsRefused("consent-withdrawn")  // expired
        try exception(until: Self.now.addingTimeInterval(86_400))
        try write { db in try workflow.submitPlan("C1", PlanInput(items: [item(100_000)], recordedBy: "ro-1"), in: db) }
        _ = try refer()
        #expect(try store.read { db in try workflow.handover("C1", in: db) }.isEmpty == false)
    }

    @Test func aDisbursementThroughThePartnerNeedsConsentOrAnException() throws {
        try openCase()
        try approvedPlan([item(100_000)])
        _ = try disburse(10_000)
        try apply(ConsentChanged(purpose: .sharingWithReintegrationPartner, granted: false), at: Self.now)
        expectProblem("consent-withdrawn", status: 409) { db in _ = try workflow.disburse("C1", DisbursementInput(
            itemID: "C1-I1", delivered: "tools", partner: "Partner A", deliveredAt: Self.arrived.addingTimeInterval(86_400),
            value: Money(amountMinor: 10_000, currency: "CAD"), recordedBy: "ro-1"), in: db) }
        #expect(try view().ledger.count == 1)
        try exception(at: Self.now)
        _ = try disburse(10_000)
        try exception(inForce: false, at: Self.now.addingTimeInterval(1))
        expectProblem("consent-withdrawn", status: 409) { db in _ = try workflow.disburse("C1", DisbursementInput(
            itemID: "C1-I1", delivered: "more tools", partner: "Partner A", deliveredAt: Self.arrived.addingTimeInterval(86_400),
            value: Money(amountMinor: 10_000, currency: "CAD"), recordedBy: "ro-1"), in: db) }
        #expect(try view().ledger.count == 2)
    }

    @Test func referralsStayWhileAnExceptionCoversThemAndAreCancelledWhenNothingDoes() throws {
        try openCase()
        _ = try refer()
        try exception(at: Self.now)
        try apply(ConsentChanged(purpose: .sharingWithReintegrationPartner, granted: false), at: Self.now.addingTimeInterval(1))
        #expect(try view().referrals.map(\.status) == [.sent], "the exception covers the referral")
        try exception(inForce: false, at: Self.now.addingTimeInterval(2))
        #expect(try view().referrals.map(\.status) == [.cancelled])
    }

    @Test func theHandoverHoldsThePartnersDatasetOnly() throws {
        try openCase()
        try write { db in try workflow.recordReception("C1", ReceptionInput(needs: [.airportPickup], note: "meet at arrivals", recordedBy: "ro-1"), in: db) }
        try approvedPlan([item(100_000)])
        _ = try disburse(10_000)
        _ = try refer()
        let handover = try JSONSerialization.jsonObject(with: try store.read { db in try workflow.handover("C1", in: db) })
        let fields = Dataset.paths(of: handover)
        #expect(fields.isSubset(of: Recipient.reintegrationPartner.dataset), "\(fields.subtracting(Recipient.reintegrationPartner.dataset))")
        #expect(fields.isSuperset(of: ["caseID", "reception.needs", "reception.note", "referrals.partnerID", "referrals.service", "referrals.status"]))
    }

    @Test func aConsentToShareRecordedBeforeIsCarriedOver() throws {
        let queue = try DatabaseQueue()
        var migrator = DatabaseMigrator()
        ReintegrationSchema.register(in: &migrator)
        try migrator.migrate(queue, upTo: "reintegration-v6-late-entry")
        try queue.write { db in
            try db.execute(sql: "INSERT INTO reint_case (case_id, status, updated_at, partner_consent) VALUES ('C8', 'open', 0, 1), ('C9', 'open', 0, 0)")
        }
        try migrator.migrate(queue)
        let carried = try queue.read { db in
            try ["C8", "C9"].map { try ConsentStore.granted(.sharingWithReintegrationPartner, of: CaseID($0), in: db) }
        }
        #expect(carried == [true, nil])
    }
}
