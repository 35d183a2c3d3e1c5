public import Foundation
public import HomewardModel

/// A partner of the directory: an organisation in a country of return.
public struct PartnerView: Codable, Sendable, Equatable {
    public var partnerID: String
    public var name: String
    /// ISO 3166-1 alpha-2.
    public var country: String
    public var services: [AssistanceCategory]
    /// An inactive partner takes no new referrals.
    public var active: Bool
    /// The supervisor who last saved it over the API, and when; absent for a partner as the
    /// configured directory lists it.
    public var changedBy: String?
    public var changedAt: Date?
    public init(partnerID: String, name: String, country: String, services: [AssistanceCategory], active: Bool, changedBy: String? = nil,
                changedAt: Date? = nil) {
        self.partnerID = partnerID; self.name = name; self.country = country; self.services = services; self.active = active
        self.changedBy = changedBy; self.changedAt = changedAt
    }
}

/// A partner as a supervisor saves it (`PUT /partners/{partnerID}`): new, changed, or
/// deactivated (`active: false`), replacing what was saved before.
public struct PartnerInput: Codable, Sendable {
    /// The organisation's name.
    public var name: String
    /// ISO 3166-1 alpha-2, in capitals.
    public var country: String
    /// Each once; at least one.
    public var services: [AssistanceCategory]
    public var active: Bool
    @FromToken public var recordedBy: String
    public init(name: String, country: String, services: [AssistanceCategory], active: Bool, recordedBy: String = "") {
        self.name = name; self.country = country; self.services = services; self.active = active; self.recordedBy = recordedBy
    }
}

/// `GET /partners`: the partner directory: the configured partners in their file's order,
/// then those added over the API.
public struct PartnerList: Codable, Sendable {
    public var partners: [PartnerView]
    public init(partners: [PartnerView]) { self.partners = partners }
}

/// One referral of a case and every step it went through.
public struct ReferralView: Codable, Sendable, Equatable {
    public var referralID: String
    public var partnerID: String
    /// The partner's name when the referral was sent.
    public var partnerName: String
    /// Absent for referrals recorded before partners had a directory.
    public var service: AssistanceCategory?
    public var status: ReferralStatus
    /// Oldest first: `sent`, then each answer.
    public var steps: [ReferralStepView]
    public init(referralID: String, partnerID: String, partnerName: String, service: AssistanceCategory?, status: ReferralStatus, steps: [ReferralStepView]) {
        self.referralID = referralID; self.partnerID = partnerID; self.partnerName = partnerName; self.service = service; self.status = status
        self.steps = steps
    }
}

/// One step of a referral: dated, and by whom (the officer's token subject).
public struct ReferralStepView: Codable, Sendable, Equatable {
    public var status: ReferralStatus
    public var at: Date
    public var by: String
    /// The note or reason given; absent when none, and once the person's data is erased.
    public var reason: String?
    public init(status: ReferralStatus, at: Date, by: String, reason: String? = nil) {
        self.status = status; self.at = at; self.by = by; self.reason = reason
    }
}

/// A referral on a work list.
public struct ReferralLine: Codable, Sendable, Equatable {
    public var caseID: CaseID
    public var referralID: String
    public var partnerID: String
    public var partnerName: String
    public var service: AssistanceCategory?
    public var status: ReferralStatus
    /// When it was sent.
    public var sentAt: Date
    public init(caseID: CaseID, referralID: String, partnerID: String, partnerName: String, service: AssistanceCategory?, status: ReferralStatus, sentAt: Date) {
        self.caseID = caseID; self.referralID = referralID; self.partnerID = partnerID; self.partnerName = partnerName; self.service = service
        self.status = status; self.sentAt = sentAt
    }
}

/// `GET /referrals?list=waiting`: referrals sent longer ago than the office waits for an
/// answer, oldest first, one page.
public struct ReferralLines: Codable, Sendable {
    public var list: String
    public var referrals: [ReferralLine]
    /// The next page's cursor, also in the `Link` header.
    public var next: String?
    public init(list: String, referrals: [ReferralLine], next: String? = nil) { self.list = list; self.referrals = referrals; self.next = next }
}
