/// A caseworker corrected a traveller's record, and with it a fact another service holds
/// of them: only the facts that changed, derived as those services hold them.
///
/// Consumers: health screening (age in years and sex, which decide the tests a screening
/// needs; present only once the case was announced ready for screening), travel booking
/// (family role and travel-document status). Never a name, a date of birth, a nationality
/// or a language: those stay in intake.
public struct TravellerCorrected: EventPayload {
    public static let eventType = EventType("intake.traveller-corrected", major: 1)

    public var travellerID: TravellerID
    /// Age in whole years at the time of the event, as the corrected date of birth gives it.
    public var ageYears: Int?
    public var sex: Sex?
    /// Never `principal`: a correction does not change who the principal applicant is.
    public var familyRole: FamilyRole?
    public var travelDocumentStatus: TravelDocumentStatus?

    public init(travellerID: TravellerID, ageYears: Int? = nil, sex: Sex? = nil, familyRole: FamilyRole? = nil,
                travelDocumentStatus: TravelDocumentStatus? = nil) {
        self.travellerID = travellerID
        self.ageYears = ageYears
        self.sex = sex
        self.familyRole = familyRole
        self.travelDocumentStatus = travelDocumentStatus
    }

    /// Whether it tells any consumer anything: a correction that changes nothing they hold is not announced.
    public var isEmpty: Bool { ageYears == nil && sex == nil && familyRole == nil && travelDocumentStatus == nil }
}
