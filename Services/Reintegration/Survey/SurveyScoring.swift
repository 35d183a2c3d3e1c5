import Foundation
import HomewardModel

/// Turns the answers of one monitoring visit into Reintegration Sustainability Survey
/// scores, with the weights of the configured ``SustainabilitySurvey``.
///
/// Each answer is normalised to 0...1 as (answer − minimum) / (maximum − minimum); a
/// dimension's score is the weighted average of its indicators' normalised answers; the
/// composite is the weighted average of the three dimension scores, computed from the
/// unrounded dimension scores so that rounding happens once per published figure.
///
/// Why all-or-nothing: a score from a partly answered visit would not be comparable with
/// the case's earlier visits, so a missing, unknown or out-of-range answer refuses the
/// whole visit with the rule it broke.
enum SurveyScoring {
    /// Scores `answers` (indicator id → answer) against `survey`.
    ///
    /// Checks, in this order, and throws on the first broken: no answer to an indicator the
    /// survey does not have (`unknown-indicator`, first by id); every indicator answered
    /// (`missing-answer`) and within its scale (`answer-out-of-range`), in the survey's order.
    static func score(_ answers: [String: Int], with survey: SustainabilitySurvey) throws(SurveyAnswerError) -> SustainabilityScores {
        let known = Set(survey.indicators.map(\.id))
        if let unknown = answers.keys.sorted().first(where: { !known.contains($0) }) {
            throw SurveyAnswerError(
                rule: "unknown-indicator", field: pointer(unknown),
                detail: "\"\(unknown)\" is not an indicator of the sustainability survey")
        }

        var weighted: [ReintegrationDimension: Double] = [:]
        var totalWeight: [ReintegrationDimension: Double] = [:]
        for indicator in survey.indicators {
            guard let answer = answers[indicator.id] else {
                throw SurveyAnswerError(
                    rule: "missing-answer", field: pointer(indicator.id),
                    detail: "indicator \(indicator.id) (\(indicator.dimension.rawValue)) has no answer; every indicator must be answered")
            }
            guard (indicator.minimum...indicator.maximum).contains(answer) else {
                throw SurveyAnswerError(
                    rule: "answer-out-of-range", field: pointer(indicator.id),
                    detail: "the answer to indicator \(indicator.id) must be from \(indicator.minimum) to \(indicator.maximum)")
            }
            // Validation guarantees minimum < maximum and that the span fits in Int.
            let normalised = Double(answer - indicator.minimum) / Double(indicator.maximum - indicator.minimum)
            weighted[indicator.dimension, default: 0] += indicator.weight * normalised
            totalWeight[indicator.dimension, default: 0] += indicator.weight
        }

        // Validation guarantees every dimension has an indicator and a positive weight.
        var dimensionScore: [ReintegrationDimension: Double] = [:]
        var compositeSum = 0.0
        var compositeWeight = 0.0
        for dimension in ReintegrationDimension.allCases {
            let score = weighted[dimension, default: 0] / totalWeight[dimension, default: 1]
            let weight = survey.dimensionWeights[dimension, default: 0]
            dimensionScore[dimension] = score
            compositeSum += weight * score
            compositeWeight += weight
        }
        return SustainabilityScores(
            economic: rounded(dimensionScore[.economic, default: 0]),
            social: rounded(dimensionScore[.social, default: 0]),
            psychosocial: rounded(dimensionScore[.psychosocial, default: 0]),
            composite: rounded(compositeSum / compositeWeight))
    }

    /// Rounds to 4 decimal places, half away from zero, as a person would round the exact
    /// figure, so that the same answers give the same published figures in events, reports
    /// and tests.
    ///
    /// Why two steps: an exact half such as 0.00015 is computed as 0.000149999…, which plain
    /// rounding would take down. Snapping the scaled value to 8 further places first removes
    /// that noise (far below any real difference between scores) before the half is decided.
    static func rounded(_ value: Double) -> Double {
        let scale = 10_000.0  // 4 decimal places
        let snapped = (value * scale * 1e8).rounded() / 1e8
        return snapped.rounded(.toNearestOrAwayFromZero) / scale
    }

    /// `/answers/<id>` with the id escaped per RFC 6901 (`~` → `~0`, `/` → `~1`); ids from the
    /// survey are kebab-case and need no escaping, unknown ones from a request may.
    private static func pointer(_ id: String) -> String {
        "/answers/" + id.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
}
