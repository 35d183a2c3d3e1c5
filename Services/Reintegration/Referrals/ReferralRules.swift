import Foundation
import HomewardModel
import HomewardRuntime
import ReintegrationAPI

/// A referral's life, as pure rules: which step may follow which, and to whom a case may
/// be referred.
///
///     sent ─┬─ accepted ── in-progress ── completed
///           ├─ declined (with a reason)
///           └─ cancelled (by the office, from sent, accepted or in-progress)
enum ReferralRules {
    /// The steps that may follow `status`; none once it ended.
    static func next(after status: ReferralStatus) -> [ReferralStatus] {
        switch status {
        case .sent: [.accepted, .declined, .cancelled]
        case .accepted: [.inProgress, .cancelled]
        case .inProgress: [.completed, .cancelled]
        case .declined, .completed, .cancelled: []
        }
    }

    /// Refuses a step that does not follow `current`, and a decline without its reason.
    static func check(step: ReferralStatus, after current: ReferralStatus, reason: String?) throws {
        let allowed = next(after: current)
        guard allowed.contains(step) else { throw ReintegrationRefusal.referralStepNotAllowed(from: current, to: step, allowed: allowed) }
        if step == .declined, reason?.isBlank ?? true { throw ReintegrationRefusal.declineWithoutReason }
    }

    /// A case is referred to an active partner of the directory, working in the case's
    /// country of return, for a service it offers.
    static func check(partner: PartnerView?, service: AssistanceCategory, returnCountry: String?) throws -> PartnerView {
        guard let partner else { throw ReintegrationRefusal.unknownPartner }
        guard partner.active else { throw ReintegrationRefusal.partnerInactive }
        if let returnCountry, returnCountry != partner.country {
            throw ReintegrationRefusal.partnerInAnotherCountry(partner: partner.country, returnCountry: returnCountry)
        }
        guard partner.services.contains(service) else { throw ReintegrationRefusal.serviceNotOffered(offered: partner.services) }
        return partner
    }

    /// A supervisor's partner as saved, by them, now; refused with the field at fault.
    static func partner(_ id: String, _ input: PartnerInput, at now: Date) throws -> PartnerView {
        let partner = PartnerDirectory.Partner(id: id, name: input.name, country: input.country, services: input.services, active: input.active)
        if let (field, problem) = partner.fault { throw ReintegrationRefusal.invalidPartner(field: field == "id" ? "partnerID" : "/\(field)", problem) }
        var view = partner.view
        (view.changedBy, view.changedAt) = (input.recordedBy, now)
        return view
    }
}
