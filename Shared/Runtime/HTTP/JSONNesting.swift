/// How deeply a JSON text nests, counted without parsing it: no request of ours nests
/// beyond a few levels, and a deep one must be refused before a parser recurses into it.
public enum JSONNesting {
    /// Bodies may nest objects and arrays this deep, and no deeper.
    public static let limit = 16

    /// The deepest nesting of `bytes`, brackets inside strings not counted; stops counting
    /// once past `limit`.
    public static func depth(of bytes: some Sequence<UInt8>, limit: Int = limit) -> Int {
        var depth = 0, deepest = 0
        var inString = false, escaped = false
        for byte in bytes {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                deepest = max(deepest, depth)
                if deepest > limit { return deepest }
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            default: break
            }
        }
        return deepest
    }
}
