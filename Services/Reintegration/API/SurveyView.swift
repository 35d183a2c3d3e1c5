public import HomewardModel

/// `GET /survey` as a visit form reads it: each indicator's id, question and scale. The
/// service's `SustainabilitySurvey` is a configuration document (strict decoding in the
/// runtime), so the client reads this view of it rather than the document type.
public struct SurveyView: Codable, Sendable {
    public var indicators: [Indicator]

    public struct Indicator: Codable, Sendable {
        public var id: String
        public var dimension: ReintegrationDimension
        public var question: String
        public var minimum: Int
        public var maximum: Int
    }
}
