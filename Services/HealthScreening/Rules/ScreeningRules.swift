import Foundation
import HomewardRuntime
import HomewardModel

/// The screening rules the service applies: which tests each traveller needs by age, how
/// long a medical clearance stays valid, and when the pre-embarkation fitness check is due.
///
/// Why data and not code: the figures come from outside sources (old Canadian immigration
/// medical exam instructions, clinic practice, IOM's pre-embarkation checks) and differ
/// between programmes, so operators replace the shipped `screening-rules.json` instead of
/// changing the service.
///
/// Decoding validates every figure and refuses unknown keys, so a misspelt key or an
/// impossible window stops the service at start-up instead of silently dropping a test
/// or opening checks at the wrong time. Errors name the JSON field at fault. The file holds
/// no personal data, so errors may quote its values.
struct ScreeningRules: ConfigurationDocument, Codable, Sendable, Equatable {
    /// Tests in the order screenings list them; each applies from an age on.
    let tests: [TestRule]
    /// A clearance is valid through the same calendar day this many months after the
    /// exam (12 by default, after clinic sources).
    let clearanceValidityMonths: Int
    /// When the fitness-to-travel check before departure is due.
    let preEmbarkation: PreEmbarkation
    /// Free text for people editing the file (sources, local changes); never read by the service.
    let notes: String?

    /// One test and the age from which it is required.
    struct TestRule: Codable, Sendable, Equatable {
        /// Kebab-case name ("chest-x-ray"), the key results are recorded under.
        let test: String
        /// Required for a traveller whose age in completed years is at least this.
        let fromAge: Int

        init(test: String, fromAge: Int) {
            self.test = test
            self.fromAge = fromAge
        }

        private enum CodingKeys: String, CodingKey, CaseIterable { case test, fromAge }

        init(from decoder: any Decoder) throws {
            try ConfigurationFile.refuseUnknownKeys(decoder, allowed: CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            test = try container.decode(String.self, forKey: .test)
            fromAge = try ConfigurationFile.wholeNumber(.fromAge, in: container)
        }
    }

    /// The window, counted back from departure, in which the pre-embarkation check is done
    /// (IOM: 72 to 24 hours before). Both ends are inclusive.
    struct PreEmbarkation: Codable, Sendable, Equatable {
        /// The window opens this many hours before departure (the larger number).
        let hoursBeforeDepartureFrom: Int
        /// The window closes this many hours before departure (the smaller number).
        let hoursBeforeDepartureTo: Int

        init(hoursBeforeDepartureFrom: Int, hoursBeforeDepartureTo: Int) {
            self.hoursBeforeDepartureFrom = hoursBeforeDepartureFrom
            self.hoursBeforeDepartureTo = hoursBeforeDepartureTo
        }

        private enum CodingKeys: String, CodingKey, CaseIterable { case hoursBeforeDepartureFrom, hoursBeforeDepartureTo }

        init(from decoder: any Decoder) throws {
            try ConfigurationFile.refuseUnknownKeys(decoder, allowed: CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            hoursBeforeDepartureFrom = try ConfigurationFile.wholeNumber(.hoursBeforeDepartureFrom, in: container)
            hoursBeforeDepartureTo = try ConfigurationFile.wholeNumber(.hoursBeforeDepartureTo, in: container)
        }
    }

    /// A screening rules that cannot be used, and why (field at fault, file when loaded).
    typealias Invalid = ConfigurationFile.Invalid<ScreeningRules>

    /// Builds and validates rules; throws ``Invalid`` naming the field at fault.
    init(tests: [TestRule], clearanceValidityMonths: Int, preEmbarkation: PreEmbarkation, notes: String? = nil) throws {
        self.tests = tests
        self.clearanceValidityMonths = clearanceValidityMonths
        self.preEmbarkation = preEmbarkation
        self.notes = notes
        try validate()
    }

    // MARK: Rules

    /// The tests a traveller of `age` completed years needs, in the file's order.
    func requiredTests(age: Int) -> [String] {
        tests.filter { age >= $0.fromAge }.map(\.test)
    }

    /// The last instant a clearance from an exam on `examinedOn` is valid: the end (last
    /// millisecond, UTC) of the same calendar day ``clearanceValidityMonths`` months later,
    /// clamped to the month's last day.
    ///
    /// Why UTC: the exam date is a calendar date without a place, and every service must
    /// compute the same instant from it; UTC is the zone the events carry instants in.
    func clearanceValidUntil(examinedOn: LocalDate) -> Date {
        lastValidDay(examinedOn: examinedOn).end(in: .gmt)
    }

    /// Whether an exam on `examinedOn` still supports a clearance at `instant`, i.e.
    /// `instant <= clearanceValidUntil(examinedOn:)`.
    ///
    /// Compared as "before the next day starts", which is the same at the millisecond
    /// precision instants have, but exact: the start of a day is a whole number of seconds,
    /// while the last millisecond (x.999) is not representable in binary and two ways of
    /// computing it may differ in the last bit.
    func examIsCurrent(examinedOn: LocalDate, at instant: Date) -> Bool {
        instant < lastValidDay(examinedOn: examinedOn).adding(days: 1).start(in: .gmt)
    }

    /// The instants at which the pre-embarkation check for `departure` may be done, both
    /// inclusive: from `hoursBeforeDepartureFrom` to `hoursBeforeDepartureTo` hours before.
    func preEmbarkationWindow(departure: Date) -> ClosedRange<Date> {
        let opens = departure.addingTimeInterval(-Double(preEmbarkation.hoursBeforeDepartureFrom) * 3_600)
        let closes = departure.addingTimeInterval(-Double(preEmbarkation.hoursBeforeDepartureTo) * 3_600)
        return opens...closes
    }

    private func lastValidDay(examinedOn: LocalDate) -> LocalDate {
        examinedOn.adding(months: clearanceValidityMonths)
    }

    // MARK: Codable

    private enum CodingKeys: String, CodingKey, CaseIterable { case tests, clearanceValidityMonths, preEmbarkation, notes }

    init(from decoder: any Decoder) throws {
        try ConfigurationFile.refuseUnknownKeys(decoder, allowed: CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            tests: container.decode([TestRule].self, forKey: .tests),
            clearanceValidityMonths: ConfigurationFile.wholeNumber(.clearanceValidityMonths, in: container),
            preEmbarkation: container.decode(PreEmbarkation.self, forKey: .preEmbarkation),
            notes: container.decodeIfPresent(String.self, forKey: .notes))
    }

    // MARK: Validation

    /// Limits that keep the figures sensible: ages a person can have, a validity between a
    /// month and ten years, and a check window of at most two weeks before departure.
    private static let ages = 0...130
    private static let validityMonths = 1...120
    private static let longestWindowHours = 14 * 24

    private func validate() throws {
        var seen: [String: Int] = [:]  // test name -> index
        for (index, rule) in tests.enumerated() {
            guard ConfigurationFile.isKebabCase(rule.test) else {
                throw Invalid(
                    field: "tests[\(index)].test",
                    problem: "\"\(rule.test)\" must be kebab-case: lower-case letters and digits in words joined by single hyphens (\"chest-x-ray\")")
            }
            if let earlier = seen[rule.test] {
                throw Invalid(field: "tests[\(index)].test", problem: "\"\(rule.test)\" is already listed at tests[\(earlier)]")
            }
            seen[rule.test] = index
            guard Self.ages.contains(rule.fromAge) else {
                throw Invalid(field: "tests[\(index)].fromAge", problem: "\(rule.fromAge) must be from 0 to 130 years")
            }
        }
        guard Self.validityMonths.contains(clearanceValidityMonths) else {
            throw Invalid(field: "clearanceValidityMonths", problem: "\(clearanceValidityMonths) must be from 1 to 120 months")
        }
        let from = preEmbarkation.hoursBeforeDepartureFrom
        let to = preEmbarkation.hoursBeforeDepartureTo
        guard to >= 0 else {
            throw Invalid(field: "preEmbarkation.hoursBeforeDepartureTo", problem: "\(to) must not be negative (the check is before departure)")
        }
        guard from > to else {
            throw Invalid(
                field: "preEmbarkation.hoursBeforeDepartureFrom",
                problem: "\(from) must be greater than hoursBeforeDepartureTo (\(to)): the window opens earlier than it closes")
        }
        guard from <= Self.longestWindowHours else {
            throw Invalid(
                field: "preEmbarkation.hoursBeforeDepartureFrom",
                problem: "\(from) must be at most \(Self.longestWindowHours) hours (14 days) before departure")
        }
    }

}

extension ScreeningRules {
    static var documentName: String { "screening rules" }
}
