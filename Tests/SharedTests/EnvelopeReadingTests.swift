import Foundation
import EventExamples
import HomewardModel
import StageProbeKit
import Testing

/// `EventRegistry.decode` reads the envelope by hand (`EnvelopeScanner`) and gives only
/// `data` to `JSONDecoder`. These tests hold it to what Codable's keyed container gave
/// (``ReferenceEnvelopeDecoder``): the same event or the same error for every input, but
/// for text that is not RFC 8259 JSON, which is now always refused as malformed. Before,
/// `JSONDecoder` let some of it through where it did not read (trailing commas, `01`, bad
/// strings in attributes nobody reads, UTF-16), and a bad string in an attribute it read
/// was "undecodable" data of the envelope.
@Suite("Event envelope read by hand, as Codable read it")
struct EnvelopeReadingTests {
    static let key = "HW-fuzz0001"

    /// A consumer of one type (and the whole catalogue skipped), both ways, each with its reused decoder.
    struct Consumer {
        let registry: EventRegistry, reference: ReferenceEnvelopeDecoder
        let decoder: JSONDecoder, referenceDecoder: JSONDecoder

        init(_ type: any EventPayload.Type) {
            registry = EventRegistry([type])
            reference = ReferenceEnvelopeDecoder([type])
            decoder = registry.makeDecoder()
            referenceDecoder = reference.makeDecoder()
        }

        func new(_ bytes: [UInt8], key: String? = EnvelopeReadingTests.key) -> Outcome {
            Outcome { () throws(EventDecodingError) in try registry.decode(Data(bytes), key: key, decoder: decoder) }
        }

        func old(_ bytes: [UInt8], key: String? = EnvelopeReadingTests.key) -> Outcome {
            Outcome { () throws(EventDecodingError) in try reference.decode(Data(bytes), key: key, decoder: referenceDecoder) }
        }

        /// Nil when both agree, or differ only as allowed; else what differs.
        func disagreement(_ bytes: [UInt8], key: String? = EnvelopeReadingTests.key) -> String? {
            let (new, old) = (new(bytes, key: key), old(bytes, key: key))
            let top = StrictJSON.top(bytes)
            let malformed = top == nil || (top != UInt8(ascii: "{") && top != UInt8(ascii: "n"))
            if malformed != (new == .refused(.malformedJSON)) {
                return "RFC 8259 says \(malformed ? "malformed" : "JSON") but read \(new)"
            }
            if new == old || (new == .refused(.malformedJSON) && top == nil) { return nil }
            return "read \(new), Codable read \(old)"
        }
    }

    enum Outcome: Equatable, CustomStringConvertible {
        case skipped, refused(EventDecodingError), event([UInt8])

        init(_ decode: () throws(EventDecodingError) -> ReceivedEvent?) {
            do throws(EventDecodingError) {
                guard let e = try decode() else {
                    self = .skipped
                    return
                }
                let fields = [e.id.rawValue, e.type.cloudEventsType, e.caseID.rawValue, "\(e.time.timeIntervalSince1970.bitPattern)",
                              e.correlationID.rawValue, e.causationID?.rawValue ?? "-", e.traceparent ?? "-", String(reflecting: e.payload)]
                self = .event(Array(fields.joined(separator: "|").utf8))
            } catch {
                self = .refused(error)
            }
        }

        var description: String {
            switch self {
            case .skipped: "skipped"
            case .refused(let error): "refused: \(error)"
            case .event(let fields): "event \(String(decoding: fields, as: UTF8.self))"
            }
        }
    }

    /// Every catalogue example in a full envelope and a bare one, as the fuzzer seeds them.
    static func seeds(of type: any EventPayload.Type) throws -> [[UInt8]] {
        func encode<P: EventPayload>(_ type: P.Type) throws -> [[UInt8]] {
            let encoder = EventCoding.encoder()
            let time = Instant.parse("2026-11-22T17:10:00.125Z")!
            return try P.catalogueExamples.enumerated().flatMap { index, example in
                let full = CloudEvent(
                    id: EventID("evt-\(index)-full"), caseID: CaseID(key), time: time,
                    correlationID: EventID("evt-correlation"), causationID: EventID("evt-cause"),
                    traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", data: example)
                let bare = CloudEvent(id: EventID("evt-\(index)-bare"), caseID: CaseID(key), time: time, data: example)
                return [Array(try encoder.encode(full)), Array(try encoder.encode(bare))]
            }
        }
        return try encode(type)
    }

    static var probe: [UInt8] {
        Array(#"{"specversion":"1.0","id":"e-1","type":"homeward.probe.requested.v1","subject":"HW-fuzz0001","time":"2026-11-22T10:00:00Z","data":{"seq":1}}"#.utf8)
    }

    // MARK: Every example, and thousands of variants of each

    @Test func everyCatalogueExampleReadsAsCodableReadIt() throws {
        for type in EventCatalogue.all {
            let consumer = Consumer(type)
            let seeds = try Self.seeds(of: type)
            #expect(!seeds.isEmpty, "\(type.eventType) has examples")
            for seed in seeds {
                guard case .event = consumer.new(seed) else {
                    Issue.record("\(type.eventType): \(consumer.new(seed))")
                    continue
                }
                #expect(consumer.disagreement(seed) == nil)
                #expect(Consumer(ProbeRequested.self).disagreement(seed) == nil, "skipped alike")
                #expect(consumer.disagreement(seed, key: "HW-other") == nil, "a key mismatch alike")
            }
        }
    }

    /// Bytes replaced, flipped, deleted, inserted, runs repeated and cuts, up to three at a
    /// time, from a fixed seed: identical results, or malformed text refused as such.
    @Test func mutatedMessagesReadAsCodableReadThem() throws {
        var random = SplitMix(state: 0x5EED_0021)
        var disagreements: [String] = []
        var count = 0, divergent = 0
        for type in EventCatalogue.all + [ProbeRequested.self] {
            let consumer = Consumer(type)
            let seeds = type == ProbeRequested.self ? [Self.probe] : try Self.seeds(of: type)
            for seed in seeds {
                for _ in 0..<150 {
                    let variant = Self.mutate(seed, &random)
                    count += 1
                    if consumer.new(variant) != consumer.old(variant) { divergent += 1 }
                    if let problem = consumer.disagreement(variant) {
                        disagreements.append("\(problem) for \(String(decoding: variant, as: UTF8.self).debugDescription)")
                    }
                }
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.count) of \(count): \(disagreements.prefix(5).joined(separator: "\n"))")
        #expect(count > 10_000, "\(divergent) of \(count) differ, all as not JSON")
    }

    @Test func everyCutOfAnEventReadsAsCodableReadIt() throws {
        let consumer = Consumer(CaseRegistered.self)
        let event = try Self.seeds(of: CaseRegistered.self)[0]
        for end in 0...event.count {
            #expect(consumer.disagreement(Array(event[..<end])) == nil, "cut at \(end)")
            #expect(end == event.count || consumer.new(Array(event[..<end])) == .refused(.malformedJSON))
        }
    }

    // MARK: What mutations rarely reach

    @Test(arguments: [
        // Escapes in attribute values and in keys (compared unescaped), a surrogate pair.
        #"{"\u0073pecversion":"1.0","i\u0064":"e\u002d1\ud83d\ude00","type":"homeward.probe.requested.v1","subject":"HW-fuzz0001","time":"2026-11-22T10:00:00Z","\u0064ata":{"seq":1},"traceparent":"a\/b\\c\"d\b\f\n\r\t"}"#,
        #"{"specversion":"1.0","id":"e-1","type":"homeward.probe.requested.v1","subject":"HW-fuzz0001","time":"2026-11-22T10:00:00Z","data":{"seq":1},"causationid":"\u00e9\u20AC"}"#,
        // Whitespace everywhere it may be.
        " \t\r\n{ \t\r\n\"specversion\" \t\r\n: \t\r\n\"1.0\" \t\r\n, \"id\" : \"e-1\" , \"type\" : \"homeward.probe.requested.v1\" ,\n\"subject\":\"HW-fuzz0001\",\"time\":\"2026-11-22T10:00:00Z\",\"data\" :\r\n{ \"seq\" :\t1 , \"x\" : [ 1 , { } , [ ] ] } \n} \t\r\n",
        // Strings in data and in extensions holding brackets, quotes and colons.
        #"{"ext":{"a":["}]\"[{:,",{"b":"\\\""}],"c":"\u005d"},"data":{"seq":1,"note":"}{\"]","deep":[[[{"x":"]]]}"}]]]},"specversion":"1.0","id":"e-1","type":"homeward.probe.requested.v1","subject":"HW-fuzz0001","time":"2026-11-22T10:00:00Z"}"#,
        // Numbers of every JSON shape.
        #"{"specversion":"1.0","id":"e-1","type":"homeward.probe.requested.v1","subject":"HW-fuzz0001","time":"2026-11-22T10:00:00Z","data":{"seq":1,"n":[0,-0,12,-12,0.5,-0.5,1e3,1E3,1e+3,1e-3,-1.25E-2,123456789012345678901234567890,1e999,-1e-999,0e0]},"x":-0.0}"#,
        #"{"specversion":"1.0","id":"e-1","type":"homeward.probe.requested.v1","subject":"HW-fuzz0001","time":"2026-11-22T10:00:00Z","data":{"seq":1e2}}"#,
        #"{"specversion":"1.0","id":"e-1","type":"homeward.probe.requested.v1","subject":"HW-fuzz0001","time":"2026-11-22T10:00:00Z","data":{"seq":1.5}}"#,
        #"{"specversion":"1.0","id":"e-1","type":"homeward.probe.requested.v1","subject":"HW-fuzz0001","time":"2026-11-22T10:00:00Z","data":{"seq":-0}}"#,
        #"{"specversion":"1.0","id":"e-1","type":"homeward.probe.requested.v1","subject":"HW-fuzz0001","time":"2026-11-22T10:00:00Z","data":{"seq":99999999999999999999}}"#,
        // Duplicate keys: the first counts, even when null.
        #"{"specversion":"1.0","id":"a","id":"b","type":"homeward.probe.requested.v1","subject":"HW-fuzz0001","time":"2026-11-22T10:00:00Z","data":{"seq":1},"data":{"seq":2}}"#,
        #"{"specversion":"1.0","id":null,"id":"b","type":"homeward.probe.requested.v1","subject":"HW-fuzz0001","time":"2026-11-22T10:00:00Z","data":{"seq":1}}"#,
        #"{"specversion":"1.0","id":"a","\u0069d":"b","type":"homeward.probe.requested.v1","subject":"HW-fuzz0001","time":"2026-11-22T10:00:00Z","data":{"seq":"x"},"data":{"seq":2}}"#,
        #"{"data":{"seq":1,"seq":"two"},"specversion":"1.0","id":"e-1","type":"homeward.probe.requested.v1","subject":"HW-fuzz0001","time":"2026-11-22T10:00:00Z"}"#,
        // The top value: null, scalars, an array, nothing.
        "null", " null ", "1", "\"x\"", "true", "[]", "[{\"specversion\":\"1.0\"}]", "{}", "", " ", "nul", "{\"a\":1}}",
        // Trailing garbage.
        #"{"specversion":"1.0","id":"e-1","type":"homeward.probe.requested.v1","subject":"HW-fuzz0001","time":"2026-11-22T10:00:00Z","data":{"seq":1}}{}"#,
        #"{"specversion":"1.0","id":"e-1","type":"homeward.probe.requested.v1","subject":"HW-fuzz0001","time":"2026-11-22T10:00:00Z","data":{"seq":1}},"#,
        #"{"specversion":"1.0","id":"e-1","type":"homeward.probe.requested.v1","subject":"HW-fuzz0001","time":"2026-11-22T10:00:00Z","data":{"seq":1}}x"#,
    ])
    func unusualButValidShapesReadAsCodableReadThem(_ text: String) {
        #expect(Consumer(ProbeRequested.self).disagreement(Array(text.utf8)) == nil)
    }

    /// Each attribute absent, null, of each wrong JSON type, or an empty or bad string, for
    /// each catalogue type; and `data` absent, null, or of each wrong type.
    @Test func everyAttributeOfEveryKindReadsAsCodableReadIt() throws {
        let replacements = ["null", "1", "true", "{}", "[]", "\"\"", "\"x\"", "\"1.0\"", "\"homeward.x.v1\"", "\"homeward.probe.requested.v2\"",
                            "\"2026-02-30T00:00:00Z\"", "\"HW-other\"", "\"homeward.intake.case-withdrawn.v1\""]
        for type in EventCatalogue.all {
            let consumer = Consumer(type)
            let seed = try Self.seeds(of: type)[0]
            let object = try #require(try JSONSerialization.jsonObject(with: Data(seed)) as? [String: Any])
            for key in ["specversion", "id", "type", "subject", "time", "correlationid", "causationid", "traceparent", "data"] {
                var without = object
                without[key] = nil
                let rest = try JSONSerialization.data(withJSONObject: without, options: [.sortedKeys])
                #expect(consumer.disagreement(Array(rest)) == nil, "\(type.eventType) without \(key)")
                for replacement in replacements {
                    let text = Array(rest.dropLast()) + Array(",\"\(key)\":\(replacement)}".utf8)
                    #expect(consumer.disagreement(text) == nil, "\(type.eventType) \(key): \(replacement)")
                }
            }
        }
    }

    // MARK: Depth, encodings

    @Test(arguments: [509, 510, 511, 512, 513, 600])
    func nestingIsBoundedWhereJSONDecoderBoundsIt(_ depth: Int) {
        // The envelope and `data` are two levels; the rest are arrays (or objects) inside `data`.
        let arrays = String(repeating: "[", count: depth - 2) + String(repeating: "]", count: depth - 2)
        let objects = String(repeating: "{\"a\":", count: depth - 2) + "1" + String(repeating: "}", count: depth - 2)
        for inner in [arrays, objects] {
            let text = #"{"specversion":"1.0","id":"e-1","type":"homeward.probe.requested.v1","subject":"HW-fuzz0001","time":"2026-11-22T10:00:00Z","data":{"seq":1,"deep":"# + inner + "}}"
            let consumer = Consumer(ProbeRequested.self)
            #expect(consumer.disagreement(Array(text.utf8)) == nil)
            #expect((consumer.new(Array(text.utf8)) == .refused(.malformedJSON)) == (depth > EnvelopeReadingTests.depthLimit))
        }
    }

    static let depthLimit = 512

    @Test func aMillionBracketsAreRefusedWithoutRecursion() {
        let deep = Array(repeating: UInt8(ascii: "["), count: 1_000_000) + Array(repeating: UInt8(ascii: "]"), count: 1_000_000)
        #expect(Consumer(ProbeRequested.self).new(deep) == .refused(.malformedJSON))
        let deepData = Array(#"{"data":"#.utf8) + deep + [UInt8(ascii: "}")]
        #expect(Consumer(ProbeRequested.self).new(deepData) == .refused(.malformedJSON))
    }

    /// Invalid UTF-8 in an attribute that is read was "undecodable" to `JSONDecoder`, and
    /// elsewhere it let it through, unread. Both are malformed JSON now.
    @Test(arguments: [[0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0x80]] as [[UInt8]])
    func invalidUTF8IsMalformedWhereverItIs(_ bad: [UInt8]) {
        let consumer = Consumer(ProbeRequested.self)
        let (head, tail) = (Array(#"{"specversion":"1.0","id":"e-1"#.utf8), Array(#"","type":"homeward.probe.requested.v1","subject":"HW-fuzz0001","time":"2026-11-22T10:00:00Z","data":{"seq":1}}"#.utf8))
        #expect(consumer.old(head + bad + tail) == .refused(.invalidData(type: "envelope", detail: "undecodable")))
        #expect(consumer.new(head + bad + tail) == .refused(.malformedJSON))
        let unread = Array(#"{"source":""#.utf8) + bad + Array(#"","specversion":"1.0","id":"e-1"#.utf8) + tail
        #expect(consumer.new(unread) == .refused(.malformedJSON))
        #expect(consumer.disagreement(unread) == nil)
    }

    /// What `JSONDecoder` read and RFC 8259 does not allow: refused now, as malformed.
    @Test(arguments: [
        #"{"specversion":"1.0","id":"e-1","type":"homeward.probe.requested.v1","subject":"HW-fuzz0001","time":"2026-11-22T10:00:00Z","data":{"seq":1},}"#,
        #"{"specversion":"1.0","id":"e-1","type":"homeward.probe.requested.v1","subject":"HW-fuzz0001","time":"2026-11-22T10:00:00Z","data":{"seq":1,"x":[1,]}}"#,
        #"{"specversion":"1.0","id":"e-1","type":"homeward.probe.requested.v1","subject":"HW-fuzz0001","time":"2026-11-22T10:00:00Z","data":{"seq":1},"x":01}"#,
        #"{"specversion":"1.0","id":"e-1","type":"homeward.probe.requested.v1","subject":"HW-fuzz0001","time":"2026-11-22T10:00:00Z","data":{"seq":1},"x":1.}"#,
        #"{"specversion":"1.0","id":"e-1","type":"homeward.probe.requested.v1","subject":"HW-fuzz0001","time":"2026-11-22T10:00:00Z","data":{"seq":1},"x":-}"#,
        #"{"specversion":"1.0","id":"e-1","type":"homeward.probe.requested.v1","subject":"HW-fuzz0001","time":"2026-11-22T10:00:00Z","data":{"seq":1},"x":"\q"}"#,
        #"{"specversion":"1.0","id":"e-1","type":"homeward.probe.requested.v1","subject":"HW-fuzz0001","time":"2026-11-22T10:00:00Z","data":{"seq":1},"x":"\ud800"}"#,
        "{\"specversion\":\"1.0\",\"id\":\"e-1\",\"type\":\"homeward.probe.requested.v1\",\"subject\":\"HW-fuzz0001\",\"time\":\"2026-11-22T10:00:00Z\",\"data\":{\"seq\":1},\"x\":\"\t\"}",
        "\u{FEFF}{\"specversion\":\"1.0\",\"id\":\"e-1\",\"type\":\"homeward.probe.requested.v1\",\"subject\":\"HW-fuzz0001\",\"time\":\"2026-11-22T10:00:00Z\",\"data\":{\"seq\":1}}",
    ])
    func whatJSONDecoderLetThroughAndJSONForbidsIsMalformed(_ text: String) {
        let consumer = Consumer(ProbeRequested.self)
        #expect(consumer.old(Array(text.utf8)) != .refused(.malformedJSON), "JSONDecoder read it")
        #expect(consumer.new(Array(text.utf8)) == .refused(.malformedJSON))
    }

    @Test(arguments: [#""e\q""#, #""e\ud800""#, #""e\udc00x""#, "\"e\t\"", #""e\u12G4""#])
    func aBadStringInAnAttributeReadIsMalformed(_ id: String) {
        let text = #"{"specversion":"1.0","id":"# + id + #","type":"homeward.probe.requested.v1","subject":"HW-fuzz0001","time":"2026-11-22T10:00:00Z","data":{"seq":1}}"#
        let consumer = Consumer(ProbeRequested.self)
        #expect(consumer.old(Array(text.utf8)) == .refused(.invalidData(type: "envelope", detail: "undecodable")))
        #expect(consumer.new(Array(text.utf8)) == .refused(.malformedJSON))
    }

    @Test func utf16IsMalformed() {
        let utf16 = String(decoding: Self.probe, as: UTF8.self).utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let consumer = Consumer(ProbeRequested.self)
        #expect(consumer.old(utf16) != .refused(.malformedJSON), "JSONDecoder read UTF-16")
        #expect(consumer.new(utf16) == .refused(.malformedJSON))
    }

    /// The payload is decoded alone, but its errors name their path from the envelope as before.
    @Test func payloadErrorsNameTheirPathUnderData() {
        let consumer = Consumer(CaseRegistered.self)
        let head = #"{"specversion":"1.0","id":"e-1","type":"homeward.intake.case-registered.v1","subject":"HW-fuzz0001","time":"2026-11-22T10:00:00Z","data":"#
        for (data, detail) in [
            (#"{"programmeID":"p","travellers":[{"travellerID":"t"}],"returnCountry":"MX"}"#, "missing 'familyRole' in data.travellers.0"),
            (#"{"travellers":[],"returnCountry":"MX"}"#, "missing 'programmeID' in data"),
            ("5", "wrong type at data"),
            ("null", "null at data"),
        ] {
            let text = Array((head + data + "}").utf8)
            #expect(consumer.new(text) == .refused(.invalidData(type: "homeward.intake.case-registered.v1", detail: detail)))
            #expect(consumer.disagreement(text) == nil)
        }
    }

    // MARK: Helpers

    static func mutate(_ bytes: [UInt8], _ random: inout SplitMix) -> [UInt8] {
        let interesting = Array(#"{}[]",:\ 0123456789-+.eEtfnul/u"#.utf8) + [0x00, 0x09, 0x0A, 0x7F, 0x80, 0xBF, 0xC0, 0xC3, 0xE2, 0xED, 0xF0, 0xF4, 0xFF]
        var b = bytes
        for _ in 0..<Int.random(in: 1...3, using: &random) where !b.isEmpty {
            let at = Int.random(in: 0..<b.count, using: &random)
            switch Int.random(in: 0..<12, using: &random) {
            case 0...3: b[at] = interesting.randomElement(using: &random)!
            case 4: b[at] ^= 1 << UInt8.random(in: 0..<8, using: &random)
            case 5...7: b.remove(at: at)
            case 8...9: b.insert(interesting.randomElement(using: &random)!, at: at)
            case 10: b.removeSubrange(at...)
            default:
                let run = Array(b[at..<min(b.count, at + Int.random(in: 1...8, using: &random))])
                b.insert(contentsOf: run, at: Int.random(in: 0...b.count, using: &random))
            }
        }
        return b
    }
}

/// A fixed-seed generator, so that a failing variant comes back on the next run.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// RFC 8259 checked the plain way, independently of `EnvelopeScanner`: recursion (test
/// inputs are shallow, or cut off at the depth limit), the standard library's own UTF-8
/// validation, a regular expression for numbers.
enum StrictJSON {
    /// The first byte of the top value; nil when the text is not JSON (or nests deeper than 512).
    static func top(_ bytes: [UInt8]) -> UInt8? {
        var parser = Parser(b: bytes)
        parser.whitespace()
        guard parser.i < bytes.count else { return nil }
        let first = bytes[parser.i]
        guard parser.value(depth: 1) else { return nil }
        parser.whitespace()
        return parser.i == bytes.count ? first : nil
    }

    private struct Parser {
        let b: [UInt8]
        var i = 0

        mutating func whitespace() { while i < b.count, [0x20, 0x09, 0x0A, 0x0D].contains(b[i]) { i += 1 } }

        mutating func eat(_ c: Character) -> Bool {
            guard i < b.count, b[i] == c.asciiValue! else { return false }
            i += 1
            return true
        }

        mutating func value(depth: Int) -> Bool {
            guard i < b.count else { return false }
            switch b[i] {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let object = b[i] == UInt8(ascii: "{")
                guard depth <= 512 else { return false }
                i += 1
                whitespace()
                if eat(object ? "}" : "]") { return true }
                repeat {
                    whitespace()
                    if object {
                        guard string() else { return false }
                        whitespace()
                        guard eat(":") else { return false }
                        whitespace()
                    }
                    guard value(depth: depth + 1) else { return false }
                    whitespace()
                } while eat(",")
                return eat(object ? "}" : "]")
            case UInt8(ascii: "\""): return string()
            case UInt8(ascii: "t"): return word("true")
            case UInt8(ascii: "f"): return word("false")
            case UInt8(ascii: "n"): return word("null")
            default:
                let start = i
                while i < b.count, "0123456789+-.eE".utf8.contains(b[i]) { i += 1 }
                let text = String(decoding: b[start..<i], as: UTF8.self)
                return !text.isEmpty && text.wholeMatch(of: /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/) != nil
            }
        }

        mutating func word(_ w: String) -> Bool {
            guard b[i...].starts(with: w.utf8) else { return false }
            i += w.utf8.count
            return true
        }

        /// A string: its raw runs valid UTF-8, no control characters, escapes as RFC 8259
        /// lists them, `\u` surrogates in pairs.
        mutating func string() -> Bool {
            guard eat("\"") else { return false }
            var run: [UInt8] = []
            while i < b.count {
                let c = b[i]
                i += 1
                if c == UInt8(ascii: "\"") { return String(validating: run, as: UTF8.self) != nil }
                if c < 0x20 { return false }
                guard c == UInt8(ascii: "\\") else {
                    run.append(c)
                    continue
                }
                guard String(validating: run, as: UTF8.self) != nil, i < b.count else { return false }
                run = []
                let e = b[i]
                i += 1
                if "\"\\/bfnrt".utf8.contains(e) { continue }
                guard e == UInt8(ascii: "u"), let unit = hex() else { return false }
                if (0xDC00...0xDFFF).contains(unit) { return false }
                if (0xD800...0xDBFF).contains(unit) {
                    guard eat("\\"), eat("u"), let low = hex(), (0xDC00...0xDFFF).contains(low) else { return false }
                }
            }
            return false
        }

        mutating func hex() -> Int? {
            guard i + 4 <= b.count, let value = Int(String(decoding: b[i..<(i + 4)], as: UTF8.self), radix: 16),
                  b[i..<(i + 4)].allSatisfy({ $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "-") }) else { return nil }
            i += 4
            return value
        }
    }
}
