import Foundation
import EventExamples
import HomewardModel
import StageProbeKit
import TestSupport
import Testing

@Suite("Event envelope and decoding")
struct EventDecodingTests {
    let registry = EventRegistry([ProbeRequested.self])

    func json(_ object: [String: Any]) -> Data {
        try! JSONSerialization.data(withJSONObject: object)
    }

    func envelope(type: String = "homeward.probe.requested.v1", subject: String? = "case-1", data: [String: Any] = ["seq": 1]) -> [String: Any] {
        var e: [String: Any] = [
            "id": "e-1", "source": "/homeward/intake", "specversion": "1.0", "type": type,
            "time": "2026-11-22T10:00:00.000Z", "datacontenttype": "application/json",
            "dataschema": "urn:homeward:schema:probe.requested:v1", "correlationid": "e-1", "data": data,
        ]
        if let subject { e["subject"] = subject }
        return e
    }

    @Test func roundTripsThroughTheOneEncoding() throws {
        let event = CloudEvent(caseID: "case-7", traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", data: ProbeRequested(seq: 3))
        let decoded = try #require(try registry.decode(try EventCoding.encoder().encode(event), key: "case-7"))
        #expect(decoded.id == event.id)
        #expect(decoded.caseID == "case-7")
        #expect(decoded.payload(as: ProbeRequested.self) == ProbeRequested(seq: 3))
        #expect(decoded.traceparent == event.traceparent)
        #expect(decoded.correlationID == event.id)
        #expect(abs(decoded.time.timeIntervalSince(event.time)) < 0.001)
    }

    /// Escapes, nulls, extension attributes of any JSON type, whitespace around the object.
    @Test(arguments: [
        (#"{"specversion":"1.0","id":"e\u002d1","type":"homeward.probe.requested.v1","subject":"case-1","time":"2026-11-22T10:00:00Z","data":{"seq":1}}"#, "e-1"),
        (#" {"data":{"seq":1,"note":"}{\"]"},"specversion":"1.0","id":"e-1","type":"homeward.probe.requested.v1","subject":"case-1","time":"2026-11-22T10:00:00Z","causationid":null} "#, "e-1"),
        (#"{"specversion":"1.0","id":"é-1","type":"homeward.probe.requested.v1","subject":"case-1","time":"2026-11-22T10:00:00Z","data":{"seq":1},"ext":[1,{"a":null}]}"#, "é-1"),
    ])
    func envelopesInAnyValidJSONFormRead(_ text: String, _ id: String) throws {
        let event = try #require(try registry.decode(Data(text.utf8), key: "case-1"))
        #expect(event.id.rawValue == id)
        #expect(event.causationID == nil && event.correlationID.rawValue == id)
        #expect(event.payload(as: ProbeRequested.self)?.seq == 1)
    }

    @Test(arguments: [
        (#"{"specversion":"1.0","id":"e-1","type":"homeward.probe.requested.v1","subject":"case-1","time":"2026-11-22T10:00:00Z","data":{"seq":1}} x"#, EventDecodingError.malformedJSON),
        (#"{"specversion":"1.0","id":"e-1","type":"homeward.probe.requested.v1","subject":"case-1","time":"2026-11-22T10:00:00Z","data":{"seq":1 "x":2}}"#, .malformedJSON),
        (#"{"specversion":"1.0","id":"e-1","type":"homeward.probe.applied.v1","subject":"case-1","time":"2026-11-22T10:00:00Z","data":{"seq":]}}"#, .malformedJSON),
        (#"{"specversion":"1.0","id":"e-1","type":"homeward.probe.requested.v1","subject":"case-1","time":"2026-11-22T10:00:00Z","data":{"seq":"1"}}"#,
         .invalidData(type: "homeward.probe.requested.v1", detail: "wrong type at data.seq")),
        (#"{"specversion":"1.0","id":"e-1","type":"homeward.probe.requested.v1","subject":"case-1","time":"yesterday","data":{"seq":1}}"#,
         .invalidData(type: "envelope", detail: "invalid value at time")),
    ])
    func brokenJSONAnywhereAndBadValuesAreRefusedPrecisely(_ text: String, _ expected: EventDecodingError) {
        #expect(throws: expected) { try registry.decode(Data(text.utf8), key: "case-1") }
    }

    @Test func causedEventsKeepCaseAndCorrelation() throws {
        let first = CloudEvent(caseID: "case-1", data: ProbeRequested(seq: 1))
        let decoded = try #require(try registry.decode(try EventCoding.encoder().encode(first), key: nil))
        let next = decoded.causing(ProbeApplied(requestID: "x", seq: 1))
        #expect(next.subject == "case-1")
        #expect(next.correlationid == first.correlationid)
        #expect(next.causationid == first.id)
        #expect(next.traceparent == nil || next.traceparent != first.traceparent)
        #expect(next.type == "homeward.probe.applied.v1")
        #expect(next.source == "/homeward/health-screening")
    }

    @Test func instantsAreUTCWithMilliseconds() throws {
        let text = String(decoding: try EventCoding.encoder().encode(CloudEvent(caseID: "c", time: Date(timeIntervalSince1970: 0.5), data: ProbeRequested(seq: 1))), as: UTF8.self)
        #expect(text.contains("\"time\":\"1970-01-01T00:00:00.500Z\""))
        #expect(Instant.parse("2026-11-22T12:00:00+02:00") == Instant.parse("2026-11-22T10:00:00Z"))
    }

    @Test func instantsFormatAndParseAtTheirEdges() {
        #expect(Instant.format(Date(timeIntervalSince1970: 951_782_400.999)) == "2000-02-29T00:00:00.999Z")
        #expect(Instant.format(Date(timeIntervalSince1970: -0.001)) == "1969-12-31T23:59:59.999Z")
        #expect(Instant.format(Date(timeIntervalSince1970: 1.0006)) == "1970-01-01T00:00:01.001Z")
        #expect(Instant.parse("2000-02-29T00:00:00.999Z") == Date(timeIntervalSince1970: 951_782_400.999))
        #expect(Instant.parse("2001-02-29T00:00:00.000Z") == nil, "no 29 February in 2001")
        #expect(Instant.parse("2001-02-29T00:00:00Z") == nil)
        #expect(Instant.parse("2026-13-01T00:00:00.000Z") == nil)
        #expect(Instant.parse("2026-11-22T10:00:00Z") == Date(timeIntervalSince1970: 1_795_341_600))
        // Only instants whose date is within years 1 to 9999 in every zone (found by fuzzing intake).
        #expect(Instant.parse("0001-01-01T00:00:00.000Z") == nil)
        #expect(Instant.parse("0000-06-01T00:00:00.000Z") == nil)
        #expect(Instant.parse("0001-01-01T23:59:59.999Z") == nil)
        #expect(Instant.parse("0001-01-02T00:00:00.000Z") == Instant.range.lowerBound)
        #expect(Instant.parse("9999-12-30T23:59:59.999Z") != nil)
        #expect(Instant.parse("9999-12-31T00:00:00.000Z") == nil)
        #expect(Instant.parse("9999-12-31T00:00:00+14:00") != nil)
        for zone in ["Pacific/Kiritimati", "Etc/GMT+12", "America/Toronto", "Asia/Kolkata"] {
            let timeZone = TimeZone(identifier: zone)!
            #expect(LocalDate.containing(Instant.range.lowerBound, in: timeZone).year >= 1)
            #expect(LocalDate.containing(Instant.range.upperBound, in: timeZone).year <= 9999)
        }
        for millis in stride(from: Int64(0), to: 5_000, by: 7) {
            let date = Date(timeIntervalSince1970: Double(1_795_341_600_000 + millis) / 1000)
            #expect(Instant.format(Instant.parse(Instant.format(date))!) == Instant.format(date))
        }
    }

    /// What Schemathesis sends as RFC 3339 date-times: any offset to ±23:59, any number
    /// of fraction digits, years long before 1582; no impossible day rolls over.
    @Test func instantsAreReadAsRFC3339Says() {
        let ten = Date(timeIntervalSince1970: 1_795_341_600)  // 2026-11-22T10:00:00Z
        #expect(Instant.parse("2026-11-23T09:59:00+23:59") == ten)
        #expect(Instant.parse("2026-11-21T10:01:00-23:59") == ten)
        #expect(Instant.parse("2026-11-22t10:00:00z") == ten)
        #expect(Instant.parse("2026-11-22T10:00:00-00:00") == ten)
        #expect(Instant.parse("2026-11-22T10:00:00.5Z") == ten.addingTimeInterval(0.5))
        #expect(Instant.format(Instant.parse("2026-11-22T10:00:00.123456789123Z")!) == "2026-11-22T10:00:00.123Z")
        #expect(Instant.parse("2026-12-31T23:59:60Z") == Instant.parse("2027-01-01T00:00:00Z"), "a leap second")
        #expect(Instant.format(Instant.parse("0448-10-24T18:42:46Z")!) == "0448-10-24T18:42:46.000Z", "proleptic Gregorian")
        #expect(Instant.format(Instant.parse("1581-01-01T00:00:00Z")!) == "1581-01-01T00:00:00.000Z")
        #expect(Instant.format(Instant.parse("0001-01-02T00:00:00Z")!) == "0001-01-02T00:00:00.000Z")
        #expect(Instant.format(Instant.parse("9999-12-30T23:59:59.999Z")!) == "9999-12-30T23:59:59.999Z")
        for refused in ["2026-02-30T10:00:00+01:00", "2026-02-29T10:00:00Z", "2026-11-22T24:00:00Z", "2026-11-22T10:60:00Z",
                        "2026-11-22T10:00:61Z", "2026-11-22T10:00:00+24:00", "2026-11-22T10:00:00+05", "2026-11-22T10:00:00",
                        "2026-11-22 10:00:00Z", "2026-11-22T10:00:00.Z", "2026-11-22T10:00:00ZZ", "+2026-11-22T10:00:00Z",
                        "0001-01-01T12:00:00Z", "0001-01-02T00:00:00+00:01", "9999-12-31T00:00:00Z", "0000-06-01T00:00:00Z", ""] {
            #expect(Instant.parse(refused) == nil, "\(refused)")
        }
    }

    @Test(arguments: [
        ("homeward.probe.requested.v1", 1), ("homeward.intake.case-registered.v12", 12),
    ])
    func parsesEventTypes(text: String, major: Int) {
        #expect(EventType(cloudEventsType: text)?.major == major)
        #expect(EventType(cloudEventsType: text)?.cloudEventsType == text)
    }

    @Test(arguments: ["probe.requested.v1", "homeward.probe.requested", "homeward.probe.requested.v0", "homeward..v1", "homeward.x.vX"])
    func refusesMalformedTypes(text: String) {
        #expect(EventType(cloudEventsType: text) == nil)
    }

    @Test func rejectsMalformedJSON() {
        #expect(throws: EventDecodingError.malformedJSON) { try registry.decode(Data("{not json".utf8), key: nil) }
        #expect(throws: EventDecodingError.malformedJSON) { try registry.decode(Data("[1,2]".utf8), key: nil) }
    }

    @Test func rejectsUnknownMajorVersionsNamingWhatIsSupported() {
        #expect(throws: EventDecodingError.unsupportedVersion(type: "probe.requested", major: 2, supported: [1])) {
            try registry.decode(json(envelope(type: "homeward.probe.requested.v2")), key: "case-1")
        }
        let message = EventDecodingError.unsupportedVersion(type: "probe.requested", major: 2, supported: [1]).description
        #expect(message.contains("major version 2") && message.contains("v1"))
    }

    @Test func skipsCatalogueTypesThisConsumerDoesNotApply() throws {
        let other = CloudEvent(caseID: "case-1", data: CaseWithdrawn.examples[0])
        #expect(try registry.decode(try EventCoding.encoder().encode(other), key: "case-1") == nil)
    }

    @Test func causedEventsContinueTheTraceWithANewSpan() throws {
        let parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
        let cause = try #require(try registry.decode(try EventCoding.encoder().encode(CloudEvent(caseID: "c", traceparent: parent, data: ProbeRequested(seq: 1))), key: nil))
        let child = try #require(cause.causing(ProbeApplied(requestID: "r", seq: 1)).traceparent)
        #expect(Traceparent.traceID(of: child) == Traceparent.traceID(of: parent))
        #expect(Traceparent.traceID(of: parent) == "0af7651916cd43dd8448eb211c80319c")
        #expect(child != parent && child.hasPrefix("00-0af7651916cd43dd8448eb211c80319c-") && child.hasSuffix("-01") && child.utf8.count == 55)
        let unsampled = Traceparent.child(of: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00")
        #expect(unsampled.hasSuffix("-00") && Traceparent.traceID(of: unsampled) == "0af7651916cd43dd8448eb211c80319c")
        // Not the common form (a zero trace id, not a traceparent): the general parser
        // decides, and what it refuses starts a new trace.
        #expect(Traceparent.traceID(of: "00-00000000000000000000000000000000-b7ad6b7169203331-01") == nil)
        #expect(Traceparent.traceID(of: "not a traceparent") == nil)
        let fresh = Traceparent.child(of: "not a traceparent")
        #expect(Traceparent.traceID(of: fresh) != nil && fresh.utf8.count == 55)
        let spans = Set((0..<50).map { _ in Traceparent.child(of: parent) })
        #expect(spans.count == 50 && spans.allSatisfy { Traceparent.traceID(of: $0) == "0af7651916cd43dd8448eb211c80319c" })
    }

    @Test func rejectsUnknownTypes() {
        #expect(throws: EventDecodingError.unknownType("homeward.intake.nothing.v1")) {
            try registry.decode(json(envelope(type: "homeward.intake.nothing.v1")), key: "case-1")
        }
    }

    @Test func rejectsAnEnvelopeWithoutCaseID() {
        #expect(throws: EventDecodingError.missingAttribute("subject")) {
            try registry.decode(json(envelope(subject: nil)), key: "case-1")
        }
    }

    @Test func rejectsAKeyThatIsNotTheCaseID() {
        #expect(throws: EventDecodingError.keyMismatch) {
            try registry.decode(json(envelope()), key: "case-2")
        }
    }

    @Test func namesTheFieldButNotTheValueOfBadData() throws {
        do {
            _ = try registry.decode(json(envelope(data: ["seq": "Maria Lopez"])), key: "case-1")
            Issue.record("decoded bad data")
        } catch {
            #expect(error == .invalidData(type: "homeward.probe.requested.v1", detail: "wrong type at data.seq"))
            #expect(!error.description.contains("Maria"))
        }
    }
}
