import Foundation
import HomewardRuntime
import HomewardModel

/// The Reintegration Sustainability Survey as the programme configures it: the indicators
/// a monitoring visit answers, their scales, and the weights that turn answers into a
/// score per dimension and a composite.
///
/// Why data and not code: IOM's survey scores 15 indicators across the economic, social and
/// psychosocial dimensions, but the indicator list and weights used here are not verified,
/// so operators replace the shipped `sustainability-survey.json` with the programme's own
/// configuration instead of changing the service.
///
/// Decoding validates every figure and refuses unknown keys, so a misspelt key or an
/// impossible scale stops the service at start-up instead of skewing every published
/// score. Errors name the JSON field at fault. The file holds no personal data, so errors
/// may quote its values.
struct SustainabilitySurvey: ConfigurationDocument, Codable, Sendable, Equatable {
    /// The questions of the survey, in the order a visit form shows them.
    let indicators: [Indicator]
    /// Weight of each dimension's score in the composite; every dimension has one, each
    /// positive. Encoded as a JSON object keyed by the dimension's raw value.
    let dimensionWeights: [ReintegrationDimension: Double]
    /// Free text for people editing the file (sources, local changes); never read by the service.
    let notes: String?

    /// One question of the survey, answered with a whole number on its own scale.
    struct Indicator: Codable, Sendable, Equatable {
        /// Kebab-case name ("food-security"), the key visits record the answer under.
        let id: String
        /// The dimension whose score this answer counts towards.
        let dimension: ReintegrationDimension
        /// The question as an officer asks it.
        let question: String
        /// The least favourable answer; normalised to 0.
        let minimum: Int
        /// The most favourable answer; normalised to 1. Greater than ``minimum``.
        let maximum: Int
        /// Weight of this answer within its dimension (relative to the dimension's other
        /// indicators, not to the whole survey); positive.
        let weight: Double

        init(id: String, dimension: ReintegrationDimension, question: String, minimum: Int, maximum: Int, weight: Double) {
            self.id = id
            self.dimension = dimension
            self.question = question
            self.minimum = minimum
            self.maximum = maximum
            self.weight = weight
        }

        private enum CodingKeys: String, CodingKey, CaseIterable { case id, dimension, question, minimum, maximum, weight }

        init(from decoder: any Decoder) throws {
            try ConfigurationFile.refuseUnknownKeys(decoder, allowed: CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            dimension = try container.decode(ReintegrationDimension.self, forKey: .dimension)
            question = try container.decode(String.self, forKey: .question)
            minimum = try ConfigurationFile.wholeNumber(.minimum, in: container)
            maximum = try ConfigurationFile.wholeNumber(.maximum, in: container)
            weight = try container.decode(Double.self, forKey: .weight)
        }
    }

    /// A sustainability survey that cannot be used, and why (field at fault, file when loaded).
    typealias Invalid = ConfigurationFile.Invalid<SustainabilitySurvey>

    /// Builds and validates a survey; throws ``Invalid`` naming the field at fault.
    init(indicators: [Indicator], dimensionWeights: [ReintegrationDimension: Double], notes: String? = nil) throws {
        self.indicators = indicators
        self.dimensionWeights = dimensionWeights
        self.notes = notes
        try validate()
    }

    // MARK: Codable

    private enum CodingKeys: String, CodingKey, CaseIterable { case indicators, dimensionWeights, notes }

    /// A key of the `dimensionWeights` object. The synthesised coding of a dictionary keyed
    /// by an enum is a flat array of alternating keys and values; an object keyed by the
    /// dimension names is what people can read and edit.
    private struct DimensionKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
        init(_ dimension: ReintegrationDimension) { stringValue = dimension.rawValue }
    }

    init(from decoder: any Decoder) throws {
        try ConfigurationFile.refuseUnknownKeys(decoder, allowed: CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let weights = try container.nestedContainer(keyedBy: DimensionKey.self, forKey: .dimensionWeights)
        let known = Set(ReintegrationDimension.allCases.map(\.rawValue))
        if let unknown = weights.allKeys.sorted(by: { $0.stringValue < $1.stringValue }).first(where: { !known.contains($0.stringValue) }) {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: weights.codingPath + [unknown],
                    debugDescription: "is not a dimension (dimensions: \(ReintegrationDimension.allCases.map(\.rawValue).joined(separator: ", ")))"))
        }
        var dimensionWeights: [ReintegrationDimension: Double] = [:]
        for dimension in ReintegrationDimension.allCases {
            dimensionWeights[dimension] = try weights.decode(Double.self, forKey: DimensionKey(dimension))
        }
        try self.init(
            indicators: container.decode([Indicator].self, forKey: .indicators),
            dimensionWeights: dimensionWeights,
            notes: container.decodeIfPresent(String.self, forKey: .notes))
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(indicators, forKey: .indicators)
        var weights = container.nestedContainer(keyedBy: DimensionKey.self, forKey: .dimensionWeights)
        for dimension in ReintegrationDimension.allCases {
            if let weight = dimensionWeights[dimension] {
                try weights.encode(weight, forKey: DimensionKey(dimension))
            }
        }
        try container.encodeIfPresent(notes, forKey: .notes)
    }

    // MARK: Validation

    private func validate() throws {
        var seen: [String: Int] = [:]  // id -> index
        for (index, indicator) in indicators.enumerated() {
            let path = "indicators[\(index)]"
            guard ConfigurationFile.isKebabCase(indicator.id) else {
                throw Invalid(
                    field: "\(path).id",
                    problem: "\"\(indicator.id)\" must be kebab-case: lower-case letters and digits in words joined by single hyphens (\"food-security\")")
            }
            if let earlier = seen[indicator.id] {
                throw Invalid(field: "\(path).id", problem: "\"\(indicator.id)\" is already listed at indicators[\(earlier)]")
            }
            seen[indicator.id] = index
            guard !indicator.question.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw Invalid(field: "\(path).question", problem: "must not be empty")
            }
            guard indicator.minimum < indicator.maximum else {
                throw Invalid(
                    field: "\(path).maximum",
                    problem: "\(indicator.maximum) must be greater than minimum (\(indicator.minimum)): the scale needs at least two answers")
            }
            // Scoring subtracts the minimum from answers; a span beyond Int would trap.
            guard !indicator.maximum.subtractingReportingOverflow(indicator.minimum).overflow else {
                throw Invalid(field: "\(path).maximum", problem: "the scale from \(indicator.minimum) to \(indicator.maximum) is too wide")
            }
            guard indicator.weight.isFinite, indicator.weight > 0 else {
                throw Invalid(field: "\(path).weight", problem: "\(indicator.weight) must be a positive number")
            }
        }
        let covered = Set(indicators.map(\.dimension))
        if let empty = ReintegrationDimension.allCases.first(where: { !covered.contains($0) }) {
            throw Invalid(field: "indicators", problem: "no indicator for the \(empty.rawValue) dimension; every dimension needs at least one")
        }
        for dimension in ReintegrationDimension.allCases {
            let field = "dimensionWeights.\(dimension.rawValue)"
            guard let weight = dimensionWeights[dimension] else {
                throw Invalid(field: field, problem: "is missing")
            }
            guard weight.isFinite, weight > 0 else {
                throw Invalid(field: field, problem: "\(weight) must be a positive number")
            }
        }
    }

}

extension SustainabilitySurvey {
    static var documentName: String { "sustainability survey" }
}
