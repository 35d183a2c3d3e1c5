/// An array's elements, written in place by ``JSONOutput``.
struct JSONUnkeyedContainer: UnkeyedEncodingContainer {
    let output: JSONOutput
    let frame: Int

    var codingPath: [any CodingKey] { output.path }
    var count: Int { output.count(at: frame) }

    /// Writes one element.
    private func element(_ value: () throws -> Void) rethrows {
        output.beginMember("", at: frame)
        try value()
        output.endMember()
    }

    mutating func encodeNil() throws { element { output.appendASCII("null") } }
    mutating func encode(_ value: Bool) throws { element { output.appendBool(value) } }
    mutating func encode(_ value: String) throws { element { output.appendString(value) } }
    mutating func encode(_ value: Double) throws { try element { try output.appendFloat(value, key: JSONIndexKey(index: count)) } }
    mutating func encode(_ value: Float) throws { try element { try output.appendFloat(value, key: JSONIndexKey(index: count)) } }
    mutating func encode(_ value: Int) throws { element { output.appendInteger(value) } }
    mutating func encode(_ value: Int8) throws { element { output.appendInteger(value) } }
    mutating func encode(_ value: Int16) throws { element { output.appendInteger(value) } }
    mutating func encode(_ value: Int32) throws { element { output.appendInteger(value) } }
    mutating func encode(_ value: Int64) throws { element { output.appendInteger(value) } }
    mutating func encode(_ value: Int128) throws { element { output.appendInteger(value) } }
    mutating func encode(_ value: UInt) throws { element { output.appendInteger(value) } }
    mutating func encode(_ value: UInt8) throws { element { output.appendInteger(value) } }
    mutating func encode(_ value: UInt16) throws { element { output.appendInteger(value) } }
    mutating func encode(_ value: UInt32) throws { element { output.appendInteger(value) } }
    mutating func encode(_ value: UInt64) throws { element { output.appendInteger(value) } }
    mutating func encode(_ value: UInt128) throws { element { output.appendInteger(value) } }

    mutating func encode<T: Encodable>(_ value: T) throws {
        output.path.append(JSONIndexKey(index: count))
        defer { output.path.removeLast() }
        try element { try output.writeNested(value) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        superEncoder().container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        superEncoder().unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        JSONValueEncoder(output: output.deferMember("", codingKey: JSONIndexKey(index: count), at: frame), frame: 0)
    }
}
