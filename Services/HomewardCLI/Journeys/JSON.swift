public import Foundation

/// A JSON value, as the services answer and take it: `Sendable`, comparable, and written
/// with literals (`["purpose": "processing", "granted": true]`).
///
/// Reading is forgiving: a missing key or a value of another kind reads as `.null`, so
/// `view["eligibility"]["eligible"].bool` is `nil` rather than a crash.
public enum JSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSON])
    case object([String: JSON])

    /// The member `key` of an object; `.null` for anything else.
    public subscript(key: String) -> JSON {
        if case .object(let members) = self { return members[key] ?? .null }
        return .null
    }

    /// The element at `index` of an array; `.null` out of range or for anything else.
    public subscript(index: Int) -> JSON {
        if case .array(let elements) = self, elements.indices.contains(index) { return elements[index] }
        return .null
    }

    /// The text of a string.
    public var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// A whole number (JSON numbers are read as `Double`, exact up to 2^53).
    public var int: Int? {
        if case .number(let value) = self, value.rounded() == value, abs(value) < 9.0e15 { return Int(value) }
        return nil
    }

    /// Any number.
    public var double: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// A boolean.
    public var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The elements of an array; empty for anything else.
    public var array: [JSON] {
        if case .array(let elements) = self { return elements }
        return []
    }

    /// The members of an object, or `nil`.
    public var object: [String: JSON]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// Whether this is `null` (or a missing member).
    public var isNull: Bool { self == .null }

    /// An RFC 3339 instant (`2026-11-22T10:00:00.000Z`) as a `Date`.
    public var instant: Date? { string.flatMap(Instants.parse) }

    /// The strings of an array of strings.
    public var strings: [String] { array.compactMap(\.string) }
}

extension JSON: Codable {
    /// Reads any JSON value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSON].self))
        }
    }

    /// Writes the value; whole numbers without a fraction.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value):
            if value.rounded() == value, abs(value) < 9.0e15 { try container.encode(Int64(value)) } else { try container.encode(value) }
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

extension JSON: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    /// A string literal.
    public init(stringLiteral value: String) { self = .string(value) }
    /// An integer literal.
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    /// A floating-point literal.
    public init(floatLiteral value: Double) { self = .number(value) }
    /// `true` or `false`.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// An array literal.
    public init(arrayLiteral elements: JSON...) { self = .array(elements) }
    /// An object literal; a repeated key keeps its last value.
    public init(dictionaryLiteral elements: (String, JSON)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

extension JSON {
    /// A string value.
    public init(_ text: String) { self = .string(text) }
    /// A whole number.
    public init(_ number: Int) { self = .number(Double(number)) }
    /// An array of strings.
    public init(_ texts: [String]) { self = .array(texts.map(JSON.string)) }
    /// An instant, formatted as the services write them (UTC, milliseconds).
    public init(instant: Date) { self = .string(Instants.format(instant)) }
}

extension JSON: CustomStringConvertible {
    /// Compact JSON text, keys sorted.
    public var description: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "<unencodable>"
    }
}
