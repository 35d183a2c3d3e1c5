/// The `Encoder` a value's `encode(to:)` gets from ``DirectJSONEncoder``: the output and the
/// frame of the value, no state of its own, so that handing it out allocates nothing.
struct JSONValueEncoder: Encoder {
    let output: JSONOutput
    let frame: Int

    var codingPath: [any CodingKey] { output.path }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        output.begin(.object, at: frame)
        return KeyedEncodingContainer(JSONKeyedContainer<Key>(output: output, frame: frame))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        output.begin(.array, at: frame)
        return JSONUnkeyedContainer(output: output, frame: frame)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        JSONSingleValueContainer(output: output, frame: frame)
    }
}
