import Foundation
import HomewardModel
import Testing

@testable import Reintegration
import ReintegrationAPI

// Every expected figure below is worked out by hand in the comment next to it, from the
// small survey in `Example`, not by calling the code under test.

/// A small survey with two indicators per dimension, unequal weights and two scales
/// (0–4 and 1–5), so that normalisation and weighting both show in the figures.
///
/// | id        | dimension    | scale | weight |
/// |-----------|--------------|-------|--------|
/// | income    | economic     | 0–4   | 2      |
/// | debt      | economic     | 1–5   | 1      |
/// | housing   | social       | 0–4   | 1      |
/// | documents | social       | 1–5   | 3      |
/// | support   | psychosocial | 0–4   | 0.5    |
/// | safety    | psychosocial | 1–5   | 1.5    |
private enum Example {
    static let indicators: [SustainabilitySurvey.Indicator] = [
        .init(id: "income", dimension: .economic, question: "Income?", minimum: 0, maximum: 4, weight: 2),
        .init(id: "debt", dimension: .economic, question: "Debt?", minimum: 1, maximum: 5, weight: 1),
        .init(id: "housing", dimension: .social, question: "Housing?", minimum: 0, maximum: 4, weight: 1),
        .init(id: "documents", dimension: .social, question: "Documents?", minimum: 1, maximum: 5, weight: 3),
        .init(id: "support", dimension: .psychosocial, question: "Support?", minimum: 0, maximum: 4, weight: 0.5),
        .init(id: "safety", dimension: .psychosocial, question: "Safety?", minimum: 1, maximum: 5, weight: 1.5),
    ]

    static func survey(economic: Double = 1, social: Double = 1, psychosocial: Double = 1) throws -> SustainabilitySurvey {
        try SustainabilitySurvey(
            indicators: indicators, dimensionWeights: [.economic: economic, .social: social, .psychosocial: psychosocial])
    }

    /// income 3, debt 5, housing 2, documents 2, support 1, safety 4.
    static let answers = ["income": 3, "debt": 5, "housing": 2, "documents": 2, "support": 1, "safety": 4]
    static let allMinimum = ["income": 0, "debt": 1, "housing": 0, "documents": 1, "support": 0, "safety": 1]
    static let allMaximum = ["income": 4, "debt": 5, "housing": 4, "documents": 5, "support": 4, "safety": 5]

    /// `answers` with one answer replaced (or removed, with `nil`).
    static func answers(_ id: String, _ answer: Int?) -> [String: Int] {
        var changed = answers
        changed[id] = answer
        return changed
    }
}

private func refusal(_ answers: [String: Int], with survey: SustainabilitySurvey) throws -> SurveyAnswerError {
    try #require(throws: SurveyAnswerError.self) { try SurveyScoring.score(answers, with: survey) }
}

// MARK: - Hand-checked scores

@Suite("Sustainability survey: hand-checked scores")
struct HandCheckedScoreTests {
    @Test("the example answers, dimension weights 1/1/1")
    func example() throws {
        let scores = try SurveyScoring.score(Example.answers, with: Example.survey())
        // economic: income 3 on 0–4 → 3/4; debt 5 on 1–5 → (5−1)/4 = 1.
        //   (3/4·2 + 1·1) / (2 + 1) = 2.5/3 = 0.83333… → 0.8333
        #expect(scores.economic == 0.8333)
        // social: housing 2 on 0–4 → 2/4 = 0.5; documents 2 on 1–5 → (2−1)/4 = 0.25.
        //   (0.5·1 + 0.25·3) / (1 + 3) = 1.25/4 = 0.3125
        #expect(scores.social == 0.3125)
        // psychosocial: support 1 on 0–4 → 1/4 = 0.25; safety 4 on 1–5 → (4−1)/4 = 0.75.
        //   (0.25·0.5 + 0.75·1.5) / (0.5 + 1.5) = (0.125 + 1.125)/2 = 0.625
        #expect(scores.psychosocial == 0.625)
        // composite: (0.83333… + 0.3125 + 0.625) / 3 = 1.77083…/3 = 0.59027… → 0.5903
        #expect(scores.composite == 0.5903)
    }

    @Test("dimension weights 2/1/1 change the composite only")
    func economicWeighedDouble() throws {
        let scores = try SurveyScoring.score(Example.answers, with: Example.survey(economic: 2))
        // Dimension scores as with 1/1/1.
        #expect(scores.economic == 0.8333)
        #expect(scores.social == 0.3125)
        #expect(scores.psychosocial == 0.625)
        // composite: (2·0.83333… + 1·0.3125 + 1·0.625) / (2 + 1 + 1) = (1.66667 + 0.9375)/4
        //   = 2.60417/4 = 0.65104… → 0.6510
        #expect(scores.composite == 0.6510)
    }

    @Test("every answer at its minimum scores 0 everywhere")
    func allMinimum() throws {
        let scores = try SurveyScoring.score(Example.allMinimum, with: Example.survey(economic: 2))
        // Every normalised answer is (minimum − minimum)/span = 0, so every average is 0.
        #expect(scores == SustainabilityScores(economic: 0, social: 0, psychosocial: 0, composite: 0))
    }

    @Test("every answer at its maximum scores 1 everywhere")
    func allMaximum() throws {
        let scores = try SurveyScoring.score(Example.allMaximum, with: Example.survey(economic: 2))
        // Every normalised answer is span/span = 1, so every weighted average is 1.
        #expect(scores == SustainabilityScores(economic: 1, social: 1, psychosocial: 1, composite: 1))
    }

    @Test("the composite is computed from unrounded dimension scores, then rounded once")
    func compositeFromUnroundedScores() throws {
        let answers = ["income": 0, "debt": 3, "housing": 0, "documents": 1, "support": 0, "safety": 1]
        let scores = try SurveyScoring.score(answers, with: Example.survey(economic: 2))
        // economic: income 0 → 0; debt 3 → (3−1)/4 = 0.5. (0·2 + 0.5·1)/3 = 1/6 = 0.16666… → 0.1667
        #expect(scores.economic == 0.1667)
        #expect(scores.social == 0)
        #expect(scores.psychosocial == 0)
        // composite: (2·1/6 + 0 + 0)/4 = 1/12 = 0.08333… → 0.0833.
        // (From the rounded 0.1667 it would be 2·0.1667/4 = 0.08335 → 0.0834, a figure off by
        // one in the last place: rounding twice.)
        #expect(scores.composite == 0.0833)
    }

    @Test("a half in the fifth decimal place rounds away from zero")
    func halfRoundsUp() throws {
        // One indicator per dimension on a 0–20 000 scale, so that answer 3 is exactly
        // 3/20 000 = 0.00015, which binary floating point holds as 0.000149999…
        let survey = try SustainabilitySurvey(
            indicators: [
                .init(id: "e", dimension: .economic, question: "E?", minimum: 0, maximum: 20_000, weight: 1),
                .init(id: "s", dimension: .social, question: "S?", minimum: 0, maximum: 20_000, weight: 1),
                .init(id: "p", dimension: .psychosocial, question: "P?", minimum: 0, maximum: 20_000, weight: 1),
            ],
            dimensionWeights: [.economic: 1, .social: 1, .psychosocial: 1])
        let scores = try SurveyScoring.score(["e": 3, "s": 1, "p": 2], with: survey)
        #expect(scores.economic == 0.0002)  // 0.00015 → half, away from zero → 0.0002
        #expect(scores.social == 0.0001)  // 1/20 000 = 0.00005 → half → 0.0001
        #expect(scores.psychosocial == 0.0001)  // 2/20 000 = 0.0001
        #expect(scores.composite == 0.0001)  // (0.00015 + 0.00005 + 0.0001)/3 = 0.0001
    }
}

// MARK: - Answers refused

@Suite("Sustainability survey: answers at their boundaries")
struct SurveyAnswerBoundaryTests {
    @Test(
        "an answer exactly at the minimum or maximum of its scale is accepted",
        arguments: [("income", 0), ("income", 4), ("debt", 1), ("debt", 5)])
    func boundariesAccepted(id: String, answer: Int) throws {
        _ = try SurveyScoring.score(Example.answers(id, answer), with: Example.survey())
    }

    @Test(
        "one below the minimum or one above the maximum is refused, naming the answer and the scale",
        arguments: [("income", -1, "0 to 4"), ("income", 5, "0 to 4"), ("debt", 0, "1 to 5"), ("debt", 6, "1 to 5")])
    func boundariesRefused(id: String, answer: Int, range: String) throws {
        let error = try refusal(Example.answers(id, answer), with: Example.survey())
        #expect(error.rule == "answer-out-of-range")
        #expect(error.field == "/answers/\(id)")
        #expect(error.detail.contains(id) && error.detail.contains(range))
    }

    @Test("an indicator without an answer is refused, naming it")
    func missingAnswer() throws {
        let error = try refusal(Example.answers("documents", nil), with: Example.survey())
        #expect(error.rule == "missing-answer")
        #expect(error.field == "/answers/documents")
        #expect(error.detail.contains("documents"))
    }

    @Test("an answer to an indicator the survey does not have is refused, naming it")
    func unknownIndicator() throws {
        let error = try refusal(Example.answers("pets", 3), with: Example.survey())
        #expect(error.rule == "unknown-indicator")
        #expect(error.field == "/answers/pets")
        #expect(error.detail.contains("pets"))
    }

    @Test("a misspelt indicator is reported as unknown, not as the one it was meant for missing")
    func misspeltIndicator() throws {
        var answers = Example.answers("documents", nil)
        answers["documnets"] = 2
        let error = try refusal(answers, with: Example.survey())
        #expect(error == SurveyAnswerError(rule: "unknown-indicator", field: "/answers/documnets", detail: error.detail))
    }

    @Test("an unknown id is escaped in the JSON pointer")
    func pointerEscaped() throws {
        let error = try refusal(Example.answers("a/b~c", 1), with: Example.survey())
        #expect(error.field == "/answers/a~1b~0c")
    }
}

// MARK: - Shipped file

private enum Shipped {
    /// The repository's default survey, found from this file's real path (resolving a
    /// symbolic link, so a scratch package that links this file still reads the repository's).
    static let file = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Services/Reintegration/Survey/sustainability-survey.json")
}

@Suite("Sustainability survey: shipped default")
struct ShippedSurveyTests {
    @Test("loads with 15 indicators, 5 in each of the 3 dimensions, and says it is a placeholder")
    func shipped() throws {
        let survey = try SustainabilitySurvey.load(file: Shipped.file)
        #expect(survey.indicators.count == 15)
        #expect(Set(survey.indicators.map(\.dimension)) == Set(ReintegrationDimension.allCases))
        for dimension in ReintegrationDimension.allCases {
            #expect(survey.indicators.filter { $0.dimension == dimension }.count == 5)
        }
        #expect(survey.indicators.allSatisfy { $0.minimum == 1 && $0.maximum == 5 && $0.weight == 1 })
        #expect(survey.dimensionWeights == [.economic: 1, .social: 1, .psychosocial: 1])
        let notes = try #require(survey.notes)
        #expect(notes.contains("placeholder"))
    }

    @Test("all-middle answers score 0.5 everywhere")
    func middle() throws {
        let survey = try SustainabilitySurvey.load(file: Shipped.file)
        // 3 on 1–5 → (3−1)/4 = 0.5 for every indicator; equal weights keep every average 0.5.
        let answers = Dictionary(uniqueKeysWithValues: survey.indicators.map { ($0.id, 3) })
        let scores = try SurveyScoring.score(answers, with: survey)
        #expect(scores == SustainabilityScores(economic: 0.5, social: 0.5, psychosocial: 0.5, composite: 0.5))
    }

    @Test("encodes dimension weights as an object keyed by dimension, and decodes to the same survey")
    func roundTrip() throws {
        let survey = try SustainabilitySurvey.load(file: Shipped.file)
        let data = try JSONEncoder().encode(survey)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let weights = try #require(object["dimensionWeights"] as? [String: Double])
        #expect(weights == ["economic": 1, "social": 1, "psychosocial": 1])
        #expect(try SustainabilitySurvey.decode(data) == survey)
    }
}

// MARK: - Bad files

/// A survey document whose parts a test replaces, written out as JSON text: one indicator
/// per dimension unless `indicators` says otherwise.
private func document(
    indicators: String = """
        [{"id": "income", "dimension": "economic", "question": "Income?", "minimum": 0, "maximum": 4, "weight": 2},
         {"id": "housing", "dimension": "social", "question": "Housing?", "minimum": 1, "maximum": 5, "weight": 1},
         {"id": "safety", "dimension": "psychosocial", "question": "Safety?", "minimum": 1, "maximum": 5, "weight": 1}]
        """,
    dimensionWeights: String = #"{"economic": 1, "social": 1, "psychosocial": 1}"#,
    extra: String = ""
) -> String {
    #"{"indicators": \#(indicators), "dimensionWeights": \#(dimensionWeights)\#(extra)}"#
}

/// `document()` with the first indicator's `key` set to the JSON text `value` (replacing
/// the key if it is there, adding it if not: JSONDecoder would keep the first of two).
private func firstIndicator(_ key: String, _ value: String) -> String {
    let fields: KeyValuePairs<String, String> = [
        "id": #""income""#, "dimension": #""economic""#, "question": #""Income?""#, "minimum": "0", "maximum": "4", "weight": "2",
    ]
    var members = fields.map { $0.key == key ? (key, value) : ($0.key, $0.value) }
    if !fields.contains(where: { $0.key == key }) { members.append((key, value)) }
    let first = "{" + members.map { #""\#($0.0)": \#($0.1)"# }.joined(separator: ", ") + "}"
    return document(
        indicators: """
            [\(first),
             {"id": "housing", "dimension": "social", "question": "Housing?", "minimum": 1, "maximum": 5, "weight": 1},
             {"id": "safety", "dimension": "psychosocial", "question": "Safety?", "minimum": 1, "maximum": 5, "weight": 1}]
            """)
}

private func refusal(_ json: String) throws -> SustainabilitySurvey.Invalid {
    try #require(throws: SustainabilitySurvey.Invalid.self) { try SustainabilitySurvey.decode(Data(json.utf8)) }
}

@Suite("Sustainability survey: bad files refused, naming the field")
struct BadSurveyFileTests {
    @Test("the base document of these tests is valid")
    func baseIsValid() throws {
        let survey = try SustainabilitySurvey.decode(Data(document().utf8))
        #expect(survey.indicators.map(\.id) == ["income", "housing", "safety"])
        #expect(survey.notes == nil)
    }

    @Test("a duplicate id")
    func duplicateId() throws {
        let json = document(
            indicators: """
                [{"id": "income", "dimension": "economic", "question": "Income?", "minimum": 0, "maximum": 4, "weight": 1},
                 {"id": "housing", "dimension": "social", "question": "Housing?", "minimum": 1, "maximum": 5, "weight": 1},
                 {"id": "income", "dimension": "psychosocial", "question": "Again?", "minimum": 1, "maximum": 5, "weight": 1}]
                """)
        let invalid = try refusal(json)
        #expect(invalid.field == "indicators[2].id")
        #expect(invalid.problem.contains("indicators[0]"))
    }

    @Test("an id that is not kebab-case", arguments: ["\"Income\"", "\"food_security\"", "\"food--security\"", "\"-food\"", "\"\""])
    func notKebabCase(id: String) throws {
        #expect(try refusal(firstIndicator("id", id)).field == "indicators[0].id")
    }

    @Test("a maximum equal to or below the minimum", arguments: ["0", "-1"])
    func maximumNotAboveMinimum(maximum: String) throws {
        let invalid = try refusal(firstIndicator("maximum", maximum))
        #expect(invalid.field == "indicators[0].maximum")
        #expect(invalid.problem.contains("minimum"))
    }

    @Test("a scale too wide to subtract")
    func scaleTooWide() throws {
        let json = firstIndicator("minimum", "\(Int.min)")
        #expect(try refusal(json).field == "indicators[0].maximum")
    }

    @Test("an indicator weight of zero or below", arguments: ["0", "-0.5"])
    func indicatorWeight(weight: String) throws {
        #expect(try refusal(firstIndicator("weight", weight)).field == "indicators[0].weight")
    }

    @Test("a scale bound that is not a whole number")
    func fractionalBound() throws {
        #expect(try refusal(firstIndicator("minimum", "0.5")).field == "indicators[0].minimum")
    }

    @Test("an unknown dimension name on an indicator")
    func unknownIndicatorDimension() throws {
        #expect(try refusal(firstIndicator("dimension", "\"cultural\"")).field == "indicators[0].dimension")
    }

    @Test("a dimension without indicators")
    func dimensionWithoutIndicators() throws {
        let json = document(
            indicators: """
                [{"id": "income", "dimension": "economic", "question": "Income?", "minimum": 0, "maximum": 4, "weight": 1},
                 {"id": "housing", "dimension": "social", "question": "Housing?", "minimum": 1, "maximum": 5, "weight": 1}]
                """)
        let invalid = try refusal(json)
        #expect(invalid.field == "indicators")
        #expect(invalid.problem.contains("psychosocial"))
    }

    @Test("a missing dimension weight")
    func missingDimensionWeight() throws {
        let invalid = try refusal(document(dimensionWeights: #"{"economic": 1, "social": 1}"#))
        #expect(invalid.field == "dimensionWeights.psychosocial")
        #expect(invalid.problem == "is missing")
    }

    @Test("a dimension weight of zero or below", arguments: ["0", "-1"])
    func dimensionWeight(weight: String) throws {
        let invalid = try refusal(document(dimensionWeights: #"{"economic": 1, "social": \#(weight), "psychosocial": 1}"#))
        #expect(invalid.field == "dimensionWeights.social")
    }

    @Test("a dimension weight for a dimension that does not exist")
    func unknownDimensionWeight() throws {
        let invalid = try refusal(document(dimensionWeights: #"{"economic": 1, "social": 1, "psychosocial": 1, "cultural": 1}"#))
        #expect(invalid.field == "dimensionWeights.cultural")
    }

    @Test("no dimension weights at all")
    func noDimensionWeights() throws {
        let json = #"{"indicators": []}"#
        #expect(try refusal(json).field == "dimensionWeights")
    }

    @Test("an unknown key at the top level")
    func unknownTopLevelKey() throws {
        let invalid = try refusal(document(extra: #", "note": "misspelt notes""#))
        #expect(invalid.field == "note")
        #expect(invalid.problem.contains("not a known key"))
    }

    @Test("an unknown key in an indicator")
    func unknownIndicatorKey() throws {
        #expect(try refusal(firstIndicator("scale", "5")).field == "indicators[0].scale")
    }

    @Test("an unreadable file is refused with its name")
    func unreadable() throws {
        let missing = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("no-such-survey-\(UUID()).json")
        let invalid = try #require(throws: SustainabilitySurvey.Invalid.self) { try SustainabilitySurvey.load(file: missing) }
        #expect(invalid.file == missing.lastPathComponent)
        #expect(invalid.field.isEmpty)
    }
}
