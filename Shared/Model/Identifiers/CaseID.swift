/// The id of one case (a principal applicant and their family); the subject and Kafka key
/// of every event about it.
public struct CaseID: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}
