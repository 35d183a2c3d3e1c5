/// The id of one document kept for a case (`DOC-` and random hex): names no person.
public struct DocumentID: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// A new random id.
    public static func make() -> DocumentID {
        DocumentID("DOC-" + RandomIDs.uuid().replacingOccurrences(of: "-", with: "").prefix(20))
    }
}
