import Foundation
import HomewardModel
import TestSupport
import Testing

@testable import HealthScreening

private enum Shipped {
    /// The repository's default rules file, found from this file's path.
    static let file = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Services/HealthScreening/Rules/screening-rules.json")

    static func rules() throws -> ScreeningRules { try ScreeningRules.load(file: file) }
}

/// Rules with the shipped figures except the ones a test changes.
private func rules(
    tests: [ScreeningRules.TestRule] = [.init(test: "urinalysis", fromAge: 5)], months: Int = 12, from: Int = 72, to: Int = 24
) throws -> ScreeningRules {
    try ScreeningRules(
        tests: tests, clearanceValidityMonths: months,
        preEmbarkation: .init(hoursBeforeDepartureFrom: from, hoursBeforeDepartureTo: to))
}

/// A rules document whose parts a test replaces, written out as JSON text.
private func document(
    tests: String = #"[{"test": "urinalysis", "fromAge": 5}, {"test": "hiv", "fromAge": 15}]"#,
    months: String = "12",
    preEmbarkation: String = #"{"hoursBeforeDepartureFrom": 72, "hoursBeforeDepartureTo": 24}"#,
    extra: String = ""
) -> String {
    #"{"tests": \#(tests), "clearanceValidityMonths": \#(months), "preEmbarkation": \#(preEmbarkation)\#(extra)}"#
}

private func refusal(_ json: String) throws -> ScreeningRules.Invalid {
    try #require(throws: ScreeningRules.Invalid.self) { try ScreeningRules.decode(Data(json.utf8)) }
}

// MARK: - Shipped file

@Suite("Screening rules: shipped default")
struct ShippedScreeningRulesTests {
    @Test("loads with the figures of the domain brief, in the file's order")
    func shippedFigures() throws {
        let shipped = try Shipped.rules()
        #expect(
            shipped.tests == [
                .init(test: "chest-x-ray", fromAge: 11), .init(test: "urinalysis", fromAge: 5),
                .init(test: "hiv", fromAge: 15), .init(test: "syphilis", fromAge: 15),
            ])
        #expect(shipped.clearanceValidityMonths == 12)
        #expect(shipped.preEmbarkation == .init(hoursBeforeDepartureFrom: 72, hoursBeforeDepartureTo: 24))
        let notes = try #require(shipped.notes)
        #expect(notes.contains("Canadian") && notes.contains("BMJ") && notes.contains("IOM"))
    }

    @Test("encodes to JSON that decodes to the same rules")
    func roundTrip() throws {
        let shipped = try Shipped.rules()
        #expect(try ScreeningRules.decode(JSONEncoder().encode(shipped)) == shipped)
    }
}

// MARK: - Tests by age

@Suite("Screening rules: tests by age")
struct RequiredTestsTests {
    @Test(
        "each threshold applies from the birthday it names, not a year earlier",
        arguments: [
            (0, []),
            (4, []),
            (5, ["urinalysis"]),
            (10, ["urinalysis"]),
            (11, ["chest-x-ray", "urinalysis"]),
            (14, ["chest-x-ray", "urinalysis"]),
            (15, ["chest-x-ray", "urinalysis", "hiv", "syphilis"]),
            (130, ["chest-x-ray", "urinalysis", "hiv", "syphilis"]),
        ] as [(Int, [String])])
    func shippedThresholds(age: Int, expected: [String]) throws {
        #expect(try Shipped.rules().requiredTests(age: age) == expected)
    }

    @Test("the extreme thresholds 0 and 130 are accepted and apply at exactly that age")
    func extremeThresholds() throws {
        let extremes = try rules(tests: [.init(test: "weight", fromAge: 0), .init(test: "centenarian-review", fromAge: 130)])
        #expect(extremes.requiredTests(age: 0) == ["weight"])
        #expect(extremes.requiredTests(age: 129) == ["weight"])
        #expect(extremes.requiredTests(age: 130) == ["weight", "centenarian-review"])
    }

    @Test("the order is the file's, not the thresholds'")
    func fileOrder() throws {
        let reordered = try rules(tests: [.init(test: "syphilis", fromAge: 15), .init(test: "urinalysis", fromAge: 5)])
        #expect(reordered.requiredTests(age: 20) == ["syphilis", "urinalysis"])
    }

    @Test("ages come from LocalDate's completed years: the day before the 15th birthday is 14")
    func ageFromBirthDate() throws {
        let shipped = try Shipped.rules()
        let born = date("2011-03-01")
        #expect(shipped.requiredTests(age: born.age(on: date("2026-02-28"))) == ["chest-x-ray", "urinalysis"])
        #expect(shipped.requiredTests(age: born.age(on: date("2026-03-01"))).count == 4)
    }
}

// MARK: - Clearance validity

@Suite("Screening rules: clearance validity")
struct ClearanceValidityTests {
    @Test("an exam is valid through the same day 12 months later, to its last millisecond in UTC")
    func twelveMonths() throws {
        let shipped = try Shipped.rules()
        let exam = date("2026-01-15")
        #expect(millis(shipped.clearanceValidUntil(examinedOn: exam)) == millis(utc(2027, 1, 15, 23, 59, 59, ms: 999)))
        #expect(shipped.examIsCurrent(examinedOn: exam, at: utc(2026, 1, 15)))
        #expect(shipped.examIsCurrent(examinedOn: exam, at: utc(2027, 1, 15, 23, 59, 59, ms: 999)))
        #expect(shipped.examIsCurrent(examinedOn: exam, at: shipped.clearanceValidUntil(examinedOn: exam)))
        // One millisecond later the next day has begun.
        #expect(!shipped.examIsCurrent(examinedOn: exam, at: utc(2027, 1, 16)))
        #expect(!shipped.examIsCurrent(examinedOn: exam, at: utc(2027, 1, 16, 0, 0, 0, ms: 1)))
    }

    @Test(
        "months that lack the exam's day end on their last day",
        arguments: [
            (("2026-01-31", 1), "2026-02-28"),
            (("2024-01-31", 1), "2024-02-29"),
            (("2024-02-29", 12), "2025-02-28"),
            (("2024-02-29", 48), "2028-02-29"),
            (("2026-03-31", 1), "2026-04-30"),
            (("2026-08-31", 6), "2027-02-28"),
            (("2026-12-15", 1), "2027-01-15"),
            (("2026-01-15", 120), "2036-01-15"),
        ] as [((String, Int), String)])
    func monthEndClamping(exam: (String, Int), lastDay: String) throws {
        let validity = try rules(months: exam.1)
        let examinedOn = date(exam.0)
        let parts = lastDay.split(separator: "-").map { Int($0)! }
        let lastMillisecond = utc(parts[0], parts[1], parts[2], 23, 59, 59, ms: 999)
        let nextDay = utc(parts[0], parts[1], parts[2] + 1)  // Calendar rolls day 29, 31 over
        #expect(millis(validity.clearanceValidUntil(examinedOn: examinedOn)) == millis(lastMillisecond))
        #expect(validity.examIsCurrent(examinedOn: examinedOn, at: lastMillisecond))
        #expect(!validity.examIsCurrent(examinedOn: examinedOn, at: nextDay))
    }

    @Test("adding months steps across years both ways and clamps to the month's end")
    func addingMonths() {
        #expect(date("2026-01-31").adding(months: 1) == date("2026-02-28"))
        #expect(date("2024-02-29").adding(months: 12) == date("2025-02-28"))
        #expect(date("2023-03-31").adding(months: 11) == date("2024-02-29"))
        #expect(date("2026-11-30").adding(months: 2) == date("2027-01-30"))
        #expect(date("2026-01-15").adding(months: 0) == date("2026-01-15"))
        #expect(date("2026-01-15").adding(months: -1) == date("2025-12-15"))
        #expect(date("2026-03-31").adding(months: -1) == date("2026-02-28"))
        #expect(date("2026-01-31").adding(months: -13) == date("2024-12-31"))
        #expect(date("2026-01-01").adding(months: -24) == date("2024-01-01"))
    }
}

// MARK: - Pre-embarkation window

@Suite("Screening rules: pre-embarkation window")
struct PreEmbarkationWindowTests {
    /// 10 March 2026, 08:30 UTC.
    static let departure = utc(2026, 3, 10, 8, 30)

    @Test("the window runs from 72 to 24 hours before departure")
    func bounds() throws {
        let window = try Shipped.rules().preEmbarkationWindow(departure: Self.departure)
        #expect(millis(window.lowerBound) == millis(utc(2026, 3, 7, 8, 30)))
        #expect(millis(window.upperBound) == millis(utc(2026, 3, 9, 8, 30)))
    }

    @Test(
        "exactly 72 h and exactly 24 h before departure are inside; 1 ms further out on either side is not",
        arguments: [
            (utc(2026, 3, 7, 8, 30), true),  // 72 h before: opens
            (utc(2026, 3, 7, 8, 29, 59, ms: 999), false),  // 72 h + 1 ms before
            (utc(2026, 3, 8, 8, 30), true),  // 48 h before
            (utc(2026, 3, 9, 8, 30), true),  // 24 h before: closes
            (utc(2026, 3, 9, 8, 30, 0, ms: 1), false),  // 24 h - 1 ms before
            (utc(2026, 3, 10, 8, 29, 59, ms: 999), false),  // 1 ms before departure
            (utc(2026, 3, 10, 8, 30), false),  // departure
        ] as [(Date, Bool)])
    func inclusiveEnds(instant: Date, inside: Bool) throws {
        #expect(try Shipped.rules().preEmbarkationWindow(departure: Self.departure).contains(instant) == inside)
    }

    @Test("a departure with milliseconds moves both ends by whole hours")
    func departureWithMilliseconds() throws {
        let window = try Shipped.rules().preEmbarkationWindow(departure: utc(2026, 3, 10, 8, 30, 15, ms: 250))
        #expect(millis(window.lowerBound) == millis(utc(2026, 3, 7, 8, 30, 15, ms: 250)))
        #expect(millis(window.upperBound) == millis(utc(2026, 3, 9, 8, 30, 15, ms: 250)))
        #expect(!window.contains(utc(2026, 3, 7, 8, 30, 15, ms: 249)))
        #expect(window.contains(utc(2026, 3, 7, 8, 30, 15, ms: 251)))
        #expect(window.contains(utc(2026, 3, 9, 8, 30, 15, ms: 249)))
        #expect(!window.contains(utc(2026, 3, 9, 8, 30, 15, ms: 251)))
    }

    @Test("a window may close at departure itself (to = 0) and open 14 days before")
    func widestWindow() throws {
        let window = try rules(from: 14 * 24, to: 0).preEmbarkationWindow(departure: Self.departure)
        #expect(millis(window.lowerBound) == millis(utc(2026, 2, 24, 8, 30)))
        #expect(window.contains(Self.departure))
    }
}

// MARK: - Bad files

@Suite("Screening rules: bad files are refused, naming the field")
struct BadScreeningRulesTests {
    @Test(
        "each mistake is refused with the JSON path of the field at fault",
        arguments: [
            // Unknown keys, at every level.
            (document(extra: #", "clearanceValidityMonth": 6"#), "clearanceValidityMonth"),
            (document(tests: #"[{"test": "hiv", "fromAge": 15, "toAge": 60}]"#), "tests[0].toAge"),
            (
                document(preEmbarkation: #"{"hoursBeforeDepartureFrom": 72, "hoursBeforeDepartureTo": 24, "timeZone": "UTC"}"#),
                "preEmbarkation.timeZone"
            ),
            // Test names.
            (document(tests: #"[{"test": "hiv", "fromAge": 15}, {"test": "urinalysis", "fromAge": 5}, {"test": "hiv", "fromAge": 18}]"#), "tests[2].test"),
            (document(tests: #"[{"test": "", "fromAge": 5}]"#), "tests[0].test"),
            (document(tests: #"[{"test": "Chest X-ray", "fromAge": 11}]"#), "tests[0].test"),
            (document(tests: #"[{"test": "chest--x-ray", "fromAge": 11}]"#), "tests[0].test"),
            (document(tests: #"[{"test": "-hiv", "fromAge": 15}]"#), "tests[0].test"),
            (document(tests: #"[{"test": "hiv-", "fromAge": 15}]"#), "tests[0].test"),
            (document(tests: #"[{"test": "chest_x_ray", "fromAge": 11}]"#), "tests[0].test"),
            (document(tests: #"[{"test": "sérologie", "fromAge": 15}]"#), "tests[0].test"),
            // Ages.
            (document(tests: #"[{"test": "hiv", "fromAge": -1}]"#), "tests[0].fromAge"),
            (document(tests: #"[{"test": "hiv", "fromAge": 131}]"#), "tests[0].fromAge"),
            (document(tests: #"[{"test": "hiv", "fromAge": 1.5}]"#), "tests[0].fromAge"),
            (document(tests: #"[{"test": "hiv"}]"#), "tests[0].fromAge"),
            // Validity.
            (document(months: "0"), "clearanceValidityMonths"),
            (document(months: "121"), "clearanceValidityMonths"),
            (document(months: "-12"), "clearanceValidityMonths"),
            (document(months: #""12""#), "clearanceValidityMonths"),
            (document(months: "1e30"), "clearanceValidityMonths"),
            // Window.
            (document(preEmbarkation: #"{"hoursBeforeDepartureFrom": 24, "hoursBeforeDepartureTo": 72}"#), "preEmbarkation.hoursBeforeDepartureFrom"),
            (document(preEmbarkation: #"{"hoursBeforeDepartureFrom": 24, "hoursBeforeDepartureTo": 24}"#), "preEmbarkation.hoursBeforeDepartureFrom"),
            (document(preEmbarkation: #"{"hoursBeforeDepartureFrom": 72, "hoursBeforeDepartureTo": -1}"#), "preEmbarkation.hoursBeforeDepartureTo"),
            (document(preEmbarkation: #"{"hoursBeforeDepartureFrom": 337, "hoursBeforeDepartureTo": 24}"#), "preEmbarkation.hoursBeforeDepartureFrom"),
            (document(preEmbarkation: #"{"hoursBeforeDepartureFrom": 72}"#), "preEmbarkation.hoursBeforeDepartureTo"),
            (document(preEmbarkation: #"{"hoursBeforeDepartureFrom": 72, "hoursBeforeDepartureTo": 23.5}"#), "preEmbarkation.hoursBeforeDepartureTo"),
            (document(preEmbarkation: "null"), "preEmbarkation"),
        ] as [(String, String)])
    func refused(json: String, field: String) throws {
        let invalid = try refusal(json)
        #expect(invalid.field == field)
        #expect(invalid.description.contains(field))
    }

    @Test("the problem says what is wrong")
    func problems() throws {
        let duplicate = try refusal(document(tests: #"[{"test": "hiv", "fromAge": 15}, {"test": "hiv", "fromAge": 18}]"#))
        #expect(duplicate.problem.contains("already listed at tests[0]"))
        let unknown = try refusal(document(extra: #", "clearanceValidityMonth": 6"#))
        #expect(unknown.problem.contains("not a known key"))
        let window = try refusal(document(preEmbarkation: #"{"hoursBeforeDepartureFrom": 24, "hoursBeforeDepartureTo": 72}"#))
        #expect(window.problem.contains("greater than hoursBeforeDepartureTo"))
        let months = try refusal(document(months: "0"))
        #expect(months.problem.contains("from 1 to 120 months"))
    }

    @Test("the limits themselves are accepted")
    func limitsAccepted() throws {
        let data = document(
            tests: #"[{"test": "a1", "fromAge": 0}, {"test": "b-2-c", "fromAge": 130}]"#, months: "120",
            preEmbarkation: #"{"hoursBeforeDepartureFrom": 336, "hoursBeforeDepartureTo": 0}"#)
        let limits = try ScreeningRules.decode(Data(data.utf8))
        #expect(limits.clearanceValidityMonths == 120)
        #expect(try ScreeningRules.decode(Data(document(months: "1").utf8)).clearanceValidityMonths == 1)
    }

    @Test("text that is not JSON is refused as a whole")
    func notJSON() throws {
        let invalid = try refusal("tests: [hiv]")
        #expect(invalid.field.isEmpty)
    }

    @Test("the validating initialiser refuses what decoding refuses")
    func initialiserValidates() {
        #expect(throws: ScreeningRules.Invalid.self) { try rules(months: 0) }
        #expect(throws: ScreeningRules.Invalid.self) { try rules(from: 24, to: 72) }
        #expect(throws: ScreeningRules.Invalid.self) {
            try rules(tests: [.init(test: "hiv", fromAge: 15), .init(test: "hiv", fromAge: 16)])
        }
    }

    @Test("a file that does not load names the file and the field")
    func loadNamesFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("screening-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("bad-rules.json")
        try Data(document(months: "0").utf8).write(to: file)
        let invalid = try #require(throws: ScreeningRules.Invalid.self) { try ScreeningRules.load(file: file) }
        #expect(invalid.file == "bad-rules.json")
        #expect(invalid.field == "clearanceValidityMonths")
        #expect(invalid.description.hasPrefix("screening rules file bad-rules.json: clearanceValidityMonths: "))

        let missing = try #require(throws: ScreeningRules.Invalid.self) {
            try ScreeningRules.load(file: directory.appendingPathComponent("absent.json"))
        }
        #expect(missing.file == "absent.json")
        #expect(missing.problem.hasPrefix("cannot be read"))
    }
}
