/// An object's members, written in place by ``JSONOutput`` (see there for their order).
struct JSONKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let output: JSONOutput
    let frame: Int

    var codingPath: [any CodingKey] { output.path }

    /// Writes one member: its key, then what `value` writes.
    private func member(_ key: Key, _ value: () throws -> Void) rethrows {
        output.beginMember(key.stringValue, at: frame)
        try value()
        output.endMember()
    }

    mutating func encodeNil(forKey key: Key) throws { member(key) { output.appendASCII("null") } }
    mutating func encode(_ value: Bool, forKey key: Key) throws { member(key) { output.appendBool(value) } }
    mutating func encode(_ value: String, forKey key: Key) throws { member(key) { output.appendString(value) } }
    mutating func encode(_ value: Double, forKey key: Key) throws { try member(key) { try output.appendFloat(value, key: key) } }
    mutating func encode(_ value: Float, forKey key: Key) throws { try member(key) { try output.appendFloat(value, key: key) } }
    mutating func encode(_ value: Int, forKey key: Key) throws { member(key) { output.appendInteger(value) } }
    mutating func encode(_ value: Int8, forKey key: Key) throws { member(key) { output.appendInteger(value) } }
    mutating func encode(_ value: Int16, forKey key: Key) throws { member(key) { output.appendInteger(value) } }
    mutating func encode(_ value: Int32, forKey key: Key) throws { member(key) { output.appendInteger(value) } }
    mutating func encode(_ value: Int64, forKey key: Key) throws { member(key) { output.appendInteger(value) } }
    mutating func encode(_ value: Int128, forKey key: Key) throws { member(key) { output.appendInteger(value) } }
    mutating func encode(_ value: UInt, forKey key: Key) throws { member(key) { output.appendInteger(value) } }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { member(key) { output.appendInteger(value) } }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { member(key) { output.appendInteger(value) } }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { member(key) { output.appendInteger(value) } }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { member(key) { output.appendInteger(value) } }
    mutating func encode(_ value: UInt128, forKey key: Key) throws { member(key) { output.appendInteger(value) } }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        output.path.append(key)
        defer { output.path.removeLast() }
        try member(key) { try output.writeNested(value) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        superEncoder(forKey: key).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        superEncoder(forKey: key).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        JSONValueEncoder(output: output.deferMember("super", codingKey: JSONIndexKey.super, at: frame), frame: 0)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        JSONValueEncoder(output: output.deferMember(key.stringValue, codingKey: key, at: frame), frame: 0)
    }
}
