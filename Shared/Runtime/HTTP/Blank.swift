extension StringProtocol {
    /// Whether a text that must say something says nothing: empty, or only whitespace.
    /// The OpenAPI documents write the rule as `minLength: 1` and `pattern: '\S'`, and
    /// whitespace here is what `\s` matches in Python's `re` (where Schemathesis generates
    /// from the documents): Unicode's White_Space property plus U+001C–U+001F.
    public var isBlank: Bool {
        unicodeScalars.allSatisfy { $0.properties.isWhitespace || (0x1C...0x1F).contains($0.value) }
    }
}
