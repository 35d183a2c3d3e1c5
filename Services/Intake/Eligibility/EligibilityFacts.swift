import Foundation
import HomewardModel

/// The facts of one case that programme rules look at, and nothing else: no names, no
/// identifiers, so the engine cannot leak personal data into a decision's reasons.
///
/// Intake builds these from the recorded case and validates them first (a decision
/// dated after the referral, a contact before it, a country that is not a code are bad
/// input there, not reasons here).
struct EligibilityFacts: Sendable, Equatable {
    /// When the referring authority referred the person.
    var referredAt: Date
    /// When the person first contacted the office.
    var firstContactAt: Date
    /// The area code the person resides in ("GTA").
    var residenceArea: String
    /// ISO 3166-1 alpha-2 code of the country of return.
    var returnCountry: String
    /// The local date of the final negative decision on the claim, if there is one.
    var finalNegativeDecisionOn: LocalDate?
    var leaveApplicationFiled: Bool
    var appealFiled: Bool
    var designatedCountryOfOrigin: Bool
    var claimWithdrawnOrAbandoned: Bool
}
