/// A value that is one JSON value (a string, a number, a date, or another value's encoding).
struct JSONSingleValueContainer: SingleValueEncodingContainer {
    let output: JSONOutput
    let frame: Int

    var codingPath: [any CodingKey] { output.path }

    /// Writes the value; a second one at the same place is a programming error, as in `JSONEncoder`.
    private func single(_ value: () throws -> Void) rethrows {
        output.beginSingle(at: frame)
        try value()
    }

    mutating func encodeNil() throws { single { output.appendASCII("null") } }
    mutating func encode(_ value: Bool) throws { single { output.appendBool(value) } }
    mutating func encode(_ value: String) throws { single { output.appendString(value) } }
    mutating func encode(_ value: Double) throws { try single { try output.appendFloat(value) } }
    mutating func encode(_ value: Float) throws { try single { try output.appendFloat(value) } }
    mutating func encode(_ value: Int) throws { single { output.appendInteger(value) } }
    mutating func encode(_ value: Int8) throws { single { output.appendInteger(value) } }
    mutating func encode(_ value: Int16) throws { single { output.appendInteger(value) } }
    mutating func encode(_ value: Int32) throws { single { output.appendInteger(value) } }
    mutating func encode(_ value: Int64) throws { single { output.appendInteger(value) } }
    mutating func encode(_ value: Int128) throws { single { output.appendInteger(value) } }
    mutating func encode(_ value: UInt) throws { single { output.appendInteger(value) } }
    mutating func encode(_ value: UInt8) throws { single { output.appendInteger(value) } }
    mutating func encode(_ value: UInt16) throws { single { output.appendInteger(value) } }
    mutating func encode(_ value: UInt32) throws { single { output.appendInteger(value) } }
    mutating func encode(_ value: UInt64) throws { single { output.appendInteger(value) } }
    mutating func encode(_ value: UInt128) throws { single { output.appendInteger(value) } }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try single { try output.writeNested(value) }
    }
}
