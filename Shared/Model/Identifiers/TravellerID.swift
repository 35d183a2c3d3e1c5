/// The id of one traveller of a case (the principal applicant or a dependant), assigned by
/// intake. Events name travellers only by this id: never by name or date of birth.
public struct TravellerID: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}
