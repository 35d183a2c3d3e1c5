import EventExamples
import Foundation
import HomewardModel
import TestSupport
import Testing

/// ``DirectJSONEncoder`` against its oracle, `EventCoding.encoder()` (`JSONEncoder`): the
/// same bytes for every example event, bare and in its envelope, and for values that take
/// every path through the encoder; an error wherever `JSONEncoder` throws one.
@Suite("Direct JSON encoder")
struct DirectJSONEncoderTests {
    @Test("every example payload and every CloudEvent around one encodes byte for byte as JSONEncoder")
    func examples() throws {
        var count = 0
        for type in EventCatalogue.all {
            count += try Self.compareExamples(of: type)
        }
        #expect(count > EventCatalogue.all.count, "every type has examples")
    }

    static func compareExamples<P: EventPayload>(of _: P.Type) throws -> Int {
        for (index, example) in P.catalogueExamples.enumerated() {
            JSONOracle.expectSameBytes(example, "\(P.eventType) example \(index)")
            let minimal = CloudEvent(caseID: CaseID("case-\(index)"), time: Date(timeIntervalSince1970: 1_365_000_000.123), data: example)
            let full = CloudEvent(caseID: CaseID("case/\(index)"), time: Date(timeIntervalSince1970: -1.5), correlationID: EventID(), causationID: EventID(),
                                  traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", data: example)
            JSONOracle.expectSameBytes(minimal, "\(P.eventType) example \(index) in a minimal envelope")
            JSONOracle.expectSameBytes(full, "\(P.eventType) example \(index) in a full envelope")
            #expect(try EnvelopeWriter.encode(full) == EventCoding.encoder().encode(full))
        }
        return P.catalogueExamples.count
    }

    @Test("keys sort by their UTF-8 bytes, as swift-foundation sorts them, whatever order they come in")
    func keyOrder() throws {
        let keys = ["a", "B", "a2", "a10", "_x", "ä", "", "Z", "aa", "a b", "a\"", "a\\", "é", "🙂", "A"]
        let values = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) })
        JSONOracle.expectSameBytes(values, "a dictionary")
        #expect(try String(decoding: DirectJSONEncoder().bytes(["b": 1, "B": 2, "a10": 3, "a2": 4, "_": 5]), as: UTF8.self)
                == #"{"B":2,"_":5,"a10":3,"a2":4,"b":1}"#)
        JSONOracle.expectSameBytes(Members(order: keys), "members as they come")
        JSONOracle.expectSameBytes(Members(order: keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }), "members in order")
        JSONOracle.expectSameBytes(Members(order: ["b", "a", "b", "c", "a"]), "a key written twice: the last value wins")
        JSONOracle.expectSameBytes([1: "x", 10: "y", 2: "z", -3: "w"], "Int keys")
        JSONOracle.expectSameBytes([Side.left: 1, .right: 2], "keys of another type: an array of pairs")
        JSONOracle.expectSameBytes([String: Int](), "an empty dictionary")
    }

    @Test("numbers, strings, dates, data, URLs and decimals as JSONEncoder writes them")
    func scalars() throws {
        let doubles: [Double] = [0, 1, -1, 0.1, -0.0, 1.5, 100, 1e15, 1e16, 1e21, 1.5e-7, 123456789.125, 0.30000000000000004,
                                 .greatestFiniteMagnitude, .leastNonzeroMagnitude, .leastNormalMagnitude, -.greatestFiniteMagnitude, 9007199254740992, 4.35]
        for double in doubles {
            JSONOracle.expectSameBytes(double, "\(double)")
            JSONOracle.expectSameBytes(["d": double], "\(double) in an object")
        }
        JSONOracle.expectSameBytes(doubles, "doubles in an array")
        let floats: [Float] = [0, 1, 0.1, -0.0, 3.4e38, 1e-7, 16_777_216, .leastNonzeroMagnitude, .greatestFiniteMagnitude]
        JSONOracle.expectSameBytes(floats, "floats")
        for float in floats { JSONOracle.expectSameBytes(float, "\(float)") }
        JSONOracle.expectSameBytes(Integers(), "every fixed width, at its extremes")
        JSONOracle.expectSameBytes([Int.min, -1, 0, 1, Int.max], "Int")
        JSONOracle.expectSameBytes([UInt8.max, 0], "UInt8")
        let strings = ["plain", "quote \" and backslash \\", "slash / stays", "tab\t newline\n cr\r", "\u{8}\u{c}\u{1}\u{1f}\u{7f}\u{0}",
                       "é, ü, 中文, 🙂, \u{2028}\u{2029}", "", "</script>"]
        JSONOracle.expectSameBytes(strings, "strings")
        for string in strings { JSONOracle.expectSameBytes(string, string.debugDescription) }
        let dates = [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: -1.5), Date(timeIntervalSince1970: 1_365_000_000.1235),
                     Date(timeIntervalSince1970: 253_402_214_399.999), Date()]
        JSONOracle.expectSameBytes(dates, "dates")
        JSONOracle.expectSameBytes(dates[2], "a date alone")
        JSONOracle.expectSameBytes(Data([0, 1, 2, 254, 255]), "data")
        JSONOracle.expectSameBytes([Data(), Data("hello".utf8)], "data in an array")
        JSONOracle.expectSameBytes(URL(string: "https://example.org/a%20b/c?d=e&f=/g#h")!, "a URL")
        JSONOracle.expectSameBytes(["u": URL(string: "page", relativeTo: URL(string: "https://example.org/base/")!)!], "a relative URL")
        JSONOracle.expectSameBytes([Decimal(string: "12.50")!, Decimal(-3), Decimal(string: "0.000001")!], "decimals")
        JSONOracle.expectSameBytes([true, false], "booleans")
        JSONOracle.expectSameBytes(true, "a boolean alone")
        JSONOracle.expectSameBytes(Int?.none, "null alone")
        JSONOracle.expectSameBytes([1, nil, 3] as [Int?], "nulls in an array")
    }

    @Test("containers: optionals left out, nesting, nested containers written late, super encoders, values that encode nothing")
    func containers() throws {
        JSONOracle.expectSameBytes(Everything.sample, "every shape")
        JSONOracle.expectSameBytes(Everything.empty, "every shape, empty or absent")
        JSONOracle.expectSameBytes([[1, 2], [], [3]], "arrays of arrays")
        JSONOracle.expectSameBytes([["a": [1]], [:]], "objects in arrays")
        JSONOracle.expectSameBytes(Interleaved(), "nested containers filled after later members")
        JSONOracle.expectSameBytes(Derived(), "a subclass through superEncoder")
        JSONOracle.expectSameBytes([Nothing(), Nothing()], "values that encode nothing, in an array")
        JSONOracle.expectSameBytes(["n": Nothing()], "a value that encodes nothing, in an object")
        JSONOracle.expectSameBytes(Wrapped(inner: Nothing()), "a value that encodes nothing, as a single value")
        JSONOracle.expectSameBytes(Wrapped(inner: Everything.sample), "an object as a single value")
        JSONOracle.expectSameBytes(Kind.allCases, "enums with raw values")
        JSONOracle.expectSameBytes(Set(["x", "y", "z"]), "a set")
    }

    @Test("throws where JSONEncoder throws, naming the same place")
    func errors() throws {
        for double in [Double.nan, .infinity, -.infinity] {
            try Self.expectSameError(double)
            try Self.expectSameError(["a": ["b": double]])
            try Self.expectSameError([0, 1, double])
            try Self.expectSameError([Wrapped(inner: double)])
        }
        for float in [Float.nan, .infinity, -.infinity] {
            try Self.expectSameError(float)
            try Self.expectSameError(["f": float])
        }
        try Self.expectSameError(Nothing())
    }

    static func expectSameError<T: Encodable>(_ value: T, sourceLocation: SourceLocation = #_sourceLocation) throws {
        func failure(_ encode: () throws -> Any) -> EncodingError? {
            do { _ = try encode(); return nil } catch { return error as? EncodingError }
        }
        let expected = try #require(failure { try EventCoding.encoder().encode(value) }, sourceLocation: sourceLocation)
        let actual = try #require(failure { try DirectJSONEncoder().bytes(value) }, "\(value) encoded", sourceLocation: sourceLocation)
        guard case .invalidValue(_, let want) = expected, case .invalidValue(_, let got) = actual else {
            Issue.record("not both invalidValue: \(expected), \(actual)", sourceLocation: sourceLocation)
            return
        }
        #expect(got.codingPath.map(\.stringValue) == want.codingPath.map(\.stringValue), sourceLocation: sourceLocation)
        #expect(got.codingPath.map(\.intValue) == want.codingPath.map(\.intValue), sourceLocation: sourceLocation)
        #expect(got.debugDescription == want.debugDescription, sourceLocation: sourceLocation)
    }
}

// MARK: Values that take every path

private enum Side: String, Codable { case left, right }

private enum Kind: String, Codable, CaseIterable { case one, two = "zwei", three = "a/b" }

private enum Level: Int, Codable { case low = 1, high = 10 }

private struct Integers: Encodable {
    var int = Int.min, int8 = Int8.min, int16 = Int16.min, int32 = Int32.min, int64 = Int64.min
    var uint = UInt.max, uint8 = UInt8.max, uint16 = UInt16.max, uint32 = UInt32.max, uint64 = UInt64.max
    var int128 = Int128.min, uint128 = UInt128.max
    var zero = 0, negative = -42
}

/// Members written in a given order, possibly twice.
private struct Members: Encodable {
    var order: [String]

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for (index, key) in order.enumerated() { try container.encode(index, forKey: Key(stringValue: key)) }
    }
}

private struct Everything: Encodable {
    var text: String
    var optionalText: String?
    var number: Double
    var optionalNumber: Int?
    var flag: Bool
    var when: Date
    var maybeWhen: Date?
    var kind: Kind
    var level: Level
    var tags: [String]
    var grid: [[Int]]
    var byName: [String: [String: Int]]
    var byNumber: [Int: Kind]
    var bytes: Data
    var link: URL?
    var amount: Decimal?
    var nested: [Everything]
    var zebra: Int = 1
    var Apple: Int = 2
    var _under: Int = 3

    static let sample = Everything(
        text: "a \"quoted\" / text", optionalText: "here", number: 0.1, optionalNumber: 7, flag: true,
        when: Date(timeIntervalSince1970: 1_365_000_000.123), maybeWhen: Date(timeIntervalSince1970: -86_400), kind: .three, level: .high,
        tags: ["b", "a", ""], grid: [[1, 2], [], [3]], byName: ["z": ["y": 1, "x": 2], "a": [:]], byNumber: [3: .one, 20: .two, 100: .three],
        bytes: Data([1, 2, 3]), link: URL(string: "https://example.org/x"), amount: Decimal(string: "1.25"),
        nested: [empty, empty])
    static let empty = Everything(
        text: "", optionalText: nil, number: 0, optionalNumber: nil, flag: false, when: Date(timeIntervalSince1970: 0), maybeWhen: nil,
        kind: .one, level: .low, tags: [], grid: [], byName: [:], byNumber: [:], bytes: Data(), link: nil, amount: nil, nested: [])
}

/// Nested containers handed out before later members and filled after them.
private struct Interleaved: Encodable {
    enum Key: String, CodingKey { case zed, alpha, list, middle, sup }
    enum Inner: String, CodingKey { case y, x }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        var inner = container.nestedContainer(keyedBy: Inner.self, forKey: .zed)
        var list = container.nestedUnkeyedContainer(forKey: .list)
        try container.encode("a", forKey: .alpha)
        try inner.encode(1, forKey: .y)
        try list.encode("first")
        var deeper = list.nestedContainer(keyedBy: Inner.self)
        try list.encode("third")
        try deeper.encode(true, forKey: .x)
        var pair = list.nestedUnkeyedContainer()
        try pair.encode(1)
        try pair.encode(2)
        try inner.encode(2, forKey: .x)
        try container.encode(0.5, forKey: .middle)
        let unused = container.superEncoder(forKey: .sup)
        _ = unused
        var again = encoder.container(keyedBy: Key.self)
        try again.encode("b", forKey: .alpha)
    }
}

private class Base: Encodable {
    var baseValue = "base"
}

private final class Derived: Base {
    var ownValue = 2

    enum Key: String, CodingKey { case ownValue }

    override func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(ownValue, forKey: .ownValue)
        try super.encode(to: container.superEncoder())
    }
}

private struct Nothing: Encodable {
    func encode(to encoder: any Encoder) throws {}
}

private struct Wrapped<Inner: Encodable>: Encodable {
    var inner: Inner

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(inner)
    }
}
