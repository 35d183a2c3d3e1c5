/// A text that must say something said nothing (``StringProtocol/isBlank``): the one input
/// rule every service checks the same way.
public struct BlankField: ProblemConvertible, Equatable {
    /// The JSON pointer of the field.
    public let field: String

    /// Throws when `text` is blank.
    public static func check(_ text: String, at field: String) throws(BlankField) {
        if text.isBlank { throw BlankField(field: field) }
    }

    public var problem: Problem { .invalid(field, "required", "a non-empty value is required") }
}
