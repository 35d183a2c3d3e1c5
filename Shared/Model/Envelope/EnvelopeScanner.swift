/// One pass over a message's bytes that checks the whole text is RFC 8259 JSON and notes
/// where the values of some top-level keys lie, so that the envelope's attributes are read
/// without `JSONDecoder` building a dictionary of every key (a fifth of each event's cost).
///
/// Stricter than `JSONDecoder`, which lets through trailing commas, numbers such as `01`,
/// `1.` or `-`, and bad escapes, invalid UTF-8 or raw control characters in strings it
/// never reads, and which also reads UTF-16 and UTF-32: here only RFC 8259 JSON in UTF-8
/// without a byte order mark passes. No producer writes anything else.
struct EnvelopeScanner {
    enum Kind: Equatable { case string, number, object, array, bool, null }

    /// A value's bytes, a string's quotes included.
    struct Value {
        let start: Int, end: Int, kind: Kind
        /// A string with a backslash: it must be unescaped to be read.
        let escaped: Bool
    }

    /// The kind of the text's top value.
    enum Top { case object, null, other }

    /// The depth `JSONDecoder` refuses past (an envelope with a 511-deep `data` passes).
    static let depthLimit = 512

    private let bytes: UnsafeRawBufferPointer
    /// The top-level keys whose values are noted, unescaped; `values[n]` is `keys[n]`'s.
    private let keys: [[UInt8]]
    private var values: [Value?]
    private var i = 0
    /// The top-level key just read, when noted and not seen before (the first one counts,
    /// as in `JSONDecoder`), and where its value starts.
    private var pending: (slot: Int, start: Int)?

    /// Scans the whole text; nil when it is not JSON.
    static func scan(_ bytes: UnsafeRawBufferPointer, noting keys: [[UInt8]]) -> (top: Top, values: [Value?])? {
        var scanner = EnvelopeScanner(bytes: bytes, keys: keys, values: Array(repeating: nil, count: keys.count))
        guard let top = scanner.text() else { return nil }
        return (top, scanner.values)
    }

    /// A scanned string's text: its escapes and UTF-8 are known to be good.
    static func string(_ value: Value, in bytes: UnsafeRawBufferPointer) -> String {
        let inner = UnsafeRawBufferPointer(rebasing: bytes[(value.start + 1)..<(value.end - 1)])
        return value.escaped ? String(decoding: unescape(inner), as: UTF8.self) : String(decoding: inner, as: UTF8.self)
    }

    // MARK: The grammar

    /// A loop, not recursion, with the open containers on a stack: a hostile message may
    /// nest a million brackets.
    private mutating func text() -> Top? {
        skipWhitespace()
        guard i < bytes.count else { return nil }
        let top: Top = bytes[i] == UInt8(ascii: "{") ? .object : bytes[i] == UInt8(ascii: "n") ? .null : .other
        var open = ContainerStack()
        var expectingValue = true
        while true {
            if expectingValue {
                guard i < bytes.count else { return nil }
                let first = bytes[i]
                switch first {
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    guard open.depth < Self.depthLimit else { return nil }
                    let isObject = first == UInt8(ascii: "{")
                    open.push(object: isObject)
                    i += 1
                    skipWhitespace()
                    guard i < bytes.count else { return nil }
                    if bytes[i] == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                        open.pop()
                        i += 1
                        expectingValue = false
                    } else if isObject {
                        guard member(atTop: open.depth == 1) else { return nil }
                    }
                    continue
                case UInt8(ascii: "\""): guard string() != nil else { return nil }
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): guard number() else { return nil }
                case UInt8(ascii: "t"): guard literal("true") else { return nil }
                case UInt8(ascii: "f"): guard literal("false") else { return nil }
                case UInt8(ascii: "n"): guard literal("null") else { return nil }
                default: return nil
                }
                expectingValue = false
                continue
            }
            // A value just ended: a noted top-level member's if we are back in the envelope.
            if let noted = pending, open.depth == 1 {
                values[noted.slot] = Value(start: noted.start, end: i, kind: kind(at: noted.start), escaped: hasBackslash(noted.start, i))
                pending = nil
            }
            skipWhitespace()
            if open.depth == 0 { return i == bytes.count ? top : nil }
            guard i < bytes.count else { return nil }
            switch (bytes[i], open.topIsObject) {
            case (UInt8(ascii: ","), let inObject):
                i += 1
                skipWhitespace()
                if inObject { guard member(atTop: open.depth == 1) else { return nil } }
                expectingValue = true
            case (UInt8(ascii: "}"), true), (UInt8(ascii: "]"), false):
                open.pop()
                i += 1
            default:
                return nil
            }
        }
    }

    /// Reads `"key":` and the whitespace around the colon; at the top, notes the key's value.
    private mutating func member(atTop: Bool) -> Bool {
        let start = i
        guard i < bytes.count, bytes[i] == UInt8(ascii: "\""), let escaped = string() else { return false }
        let noted = atTop ? slot(of: start, escaped: escaped).flatMap { values[$0] == nil ? $0 : nil } : nil
        skipWhitespace()
        guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return false }
        i += 1
        skipWhitespace()
        if atTop { pending = noted.map { ($0, i) } }
        return true
    }

    /// Which noted key the string at `start` (ending at `i`) is, compared unescaped.
    private func slot(of start: Int, escaped: Bool) -> Int? {
        let raw = UnsafeRawBufferPointer(rebasing: bytes[(start + 1)..<(i - 1)])
        if escaped {
            let key = Self.unescape(raw)
            return keys.firstIndex(of: key)
        }
        return keys.firstIndex { $0.count == raw.count && $0.elementsEqual(raw) }
    }

    private func kind(at start: Int) -> Kind {
        switch bytes[start] {
        case UInt8(ascii: "\""): .string
        case UInt8(ascii: "{"): .object
        case UInt8(ascii: "["): .array
        case UInt8(ascii: "t"), UInt8(ascii: "f"): .bool
        case UInt8(ascii: "n"): .null
        default: .number
        }
    }

    private func hasBackslash(_ start: Int, _ end: Int) -> Bool {
        bytes[start] == UInt8(ascii: "\"") && bytes[start..<end].contains(UInt8(ascii: "\\"))
    }

    private mutating func skipWhitespace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard bytes.count - i >= count else { return false }
        for k in 0..<count where bytes[i + k] != word.utf8Start[k] { return false }
        i += count
        return true
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    private mutating func number() -> Bool {
        if bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard i < bytes.count, isDigit(bytes[i]) else { return false }
        if bytes[i] == UInt8(ascii: "0") { i += 1 } else { skipDigits() }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard i < bytes.count, isDigit(bytes[i]) else { return false }
            skipDigits()
        }
        if i < bytes.count, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard i < bytes.count, isDigit(bytes[i]) else { return false }
            skipDigits()
        }
        return true
    }

    private func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
    private mutating func skipDigits() { while i < bytes.count, isDigit(bytes[i]) { i += 1 } }

    /// Reads a string from its opening quote past its closing one; whether it holds a
    /// backslash, nil when it is not a JSON string of well-formed UTF-8. A `\u` escape of
    /// half a surrogate pair must have its other half (`JSONDecoder` refuses a lone one).
    private mutating func string() -> Bool? {
        var escaped = false
        i += 1
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case UInt8(ascii: "\""):
                i += 1
                return escaped
            case UInt8(ascii: "\\"):
                escaped = true
                guard i + 1 < bytes.count else { return nil }
                switch bytes[i + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                     UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    i += 2
                case UInt8(ascii: "u"):
                    guard let unit = Self.hex4(bytes, at: i + 2) else { return nil }
                    i += 6
                    if unit & 0xFC00 == 0xDC00 { return nil }
                    if unit & 0xFC00 == 0xD800 {
                        guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u"),
                              let low = Self.hex4(bytes, at: i + 2), low & 0xFC00 == 0xDC00 else { return nil }
                        i += 6
                    }
                default:
                    return nil
                }
            case 0..<0x20:
                return nil
            case 0..<0x80:
                i += 1
            default:
                guard utf8Scalar() else { return nil }
            }
        }
        return nil
    }

    /// Steps over one multi-byte UTF-8 sequence: no overlong form, no surrogate, nothing
    /// past U+10FFFF (the table of RFC 3629 section 4).
    private mutating func utf8Scalar() -> Bool {
        let lead = bytes[i]
        let count: Int, second: ClosedRange<UInt8>
        switch lead {
        case 0xC2...0xDF: count = 2; second = 0x80...0xBF
        case 0xE0: count = 3; second = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: count = 3; second = 0x80...0xBF
        case 0xED: count = 3; second = 0x80...0x9F
        case 0xF0: count = 4; second = 0x90...0xBF
        case 0xF1...0xF3: count = 4; second = 0x80...0xBF
        case 0xF4: count = 4; second = 0x80...0x8F
        default: return false
        }
        guard bytes.count - i >= count, second.contains(bytes[i + 1]) else { return false }
        for k in 2..<count where bytes[i + k] & 0xC0 != 0x80 { return false }
        i += count
        return true
    }

    private static func hex4(_ bytes: UnsafeRawBufferPointer, at start: Int) -> UInt16? {
        guard bytes.count - start >= 4 else { return nil }
        var value: UInt16 = 0
        for k in start..<(start + 4) {
            let b = bytes[k]
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }

    /// The UTF-8 of a scanned string's inside, escapes resolved.
    private static func unescape(_ raw: UnsafeRawBufferPointer) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count {
            let b = raw[i]
            guard b == UInt8(ascii: "\\") else {
                out.append(b)
                i += 1
                continue
            }
            let e = raw[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = UInt32(hex4(raw, at: i)!)
                i += 4
                if scalar & 0xFC00 == 0xD800 {
                    scalar = 0x10000 + (scalar - 0xD800) << 10 + (UInt32(hex4(raw, at: i + 2)!) - 0xDC00)
                    i += 6
                }
                out.append(contentsOf: Unicode.Scalar(scalar)!.utf8)
            default: out.append(e)  // " \ /
            }
        }
        return out
    }
}

/// Whether each open container is an object or an array: a bit per level, in one word for
/// the first 64 levels (all an event has) and in an array only past them.
private struct ContainerStack {
    private(set) var depth = 0
    private var low: UInt64 = 0
    private var deeper: [Bool] = []

    var topIsObject: Bool { depth <= 64 ? low & (1 << UInt64(depth - 1)) != 0 : deeper[depth - 65] }

    mutating func push(object: Bool) {
        depth += 1
        if depth <= 64 {
            if object { low |= 1 << UInt64(depth - 1) } else { low &= ~(1 << UInt64(depth - 1)) }
        } else {
            deeper.append(object)
        }
    }

    mutating func pop() {
        if depth > 64 { deeper.removeLast() }
        depth -= 1
    }
}
