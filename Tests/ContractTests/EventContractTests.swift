import Foundation
import EventExamples
import HomewardModel
import Testing

/// The published contract: every event type in ``EventCatalogue/all``, every one of its
/// examples, checked against the JSON Schemas and the AsyncAPI document in
/// `Shared/Model/Catalogue`, and decoded back through ``EventRegistry``.
@Suite("Event catalogue contract")
struct EventContractTests {
    static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let catalogueDir = repoRoot.appendingPathComponent("Shared/Model/Catalogue")
    static let schemasDir = catalogueDir.appendingPathComponent("schemas")
    static let scriptsDir = repoRoot.appendingPathComponent("Tests/ContractTests")
    static let envelopeSchema = "cloudevent.schema.json"

    // MARK: Schemas

    @Test("every example, as a CloudEvent, matches the envelope and its data schema")
    func examplesMatchTheirSchemas() throws {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("homeward-contract-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }

        var written = 0
        for type in EventCatalogue.all {
            for example in try Self.encodedExamples(of: type) {
                try example.json.write(to: dir.appendingPathComponent(example.fileName))
                written += 1
            }
        }
        #expect(written > 0)

        let result = try Self.python(
            Self.scriptsDir.appendingPathComponent("validate_events.py").path,
            dir.path, Self.schemasDir.path)
        #expect(result.status == 0, "validate_events.py exited \(result.status):\n\(result.output)")
    }

    @Test("the AsyncAPI document's $refs resolve and it references every schema")
    func asyncAPIDocumentIsComplete() throws {
        let result = try Self.python(
            Self.scriptsDir.appendingPathComponent("validate_asyncapi.py").path,
            Self.catalogueDir.appendingPathComponent("asyncapi.yaml").path)
        #expect(result.status == 0, "validate_asyncapi.py exited \(result.status):\n\(result.output)")
    }

    @Test("every catalogue type has a schema file")
    func everyTypeHasASchema() throws {
        let files = try Self.schemaFiles()
        for type in EventCatalogue.all {
            #expect(files.contains(type.eventType.schemaFile), "no schemas/\(type.eventType.schemaFile) for \(type)")
        }
    }

    @Test("every schema file belongs to a catalogue type")
    func noOrphanSchemas() throws {
        let known = Set(EventCatalogue.all.map { $0.eventType.schemaFile })
        for file in try Self.schemaFiles() where file != Self.envelopeSchema {
            #expect(known.contains(file), "schemas/\(file) has no type in EventCatalogue.all")
        }
        #expect(try Self.schemaFiles().contains(Self.envelopeSchema))
    }

    // MARK: Catalogue

    @Test("event type names are unique and name their producer")
    func typeNamesAreUniqueAndNameTheProducer() {
        let types = EventCatalogue.all.map { $0.eventType.cloudEventsType }
        #expect(Set(types).count == types.count, "duplicate event types: \(types.sorted())")
        let names = EventCatalogue.all.map { $0.eventType.name }
        #expect(Set(names).count == names.count, "one name in two majors in the catalogue: \(names.sorted())")
        for type in EventCatalogue.all {
            let name = type.eventType.name
            #expect(name.hasPrefix(type.producer.rawValue + "."), "\(name) does not start with its producer \(type.producer.rawValue)")
            #expect(EventType(cloudEventsType: type.eventType.cloudEventsType) == type.eventType, "\(name) does not parse back")
            #expect(name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == ".") })
        }
        for service in ServiceName.allCases {
            #expect(!EventCatalogue.published(by: service).isEmpty, "\(service.rawValue) publishes nothing")
        }
    }

    @Test("every type has at least one example")
    func everyTypeHasExamples() {
        for type in EventCatalogue.all {
            #expect(!type.catalogueExamples.isEmpty, "\(type) has no examples")
        }
    }

    @Test("every case of every payload enum occurs in some example")
    func examplesCoverEveryEnumCase() throws {
        var text = ""
        for type in EventCatalogue.all {
            for example in try Self.encodedExamples(of: type) {
                text += String(decoding: example.json, as: UTF8.self)
            }
        }
        let enums: [(String, [String])] = [
            ("Sex", Self.rawValues(Sex.self)),
            ("FamilyRole", Self.rawValues(FamilyRole.self)),
            ("TravelDocumentStatus", Self.rawValues(TravelDocumentStatus.self)),
            ("ConsentPurpose", Self.rawValues(ConsentPurpose.self)),
            ("EligibilityRule", Self.rawValues(EligibilityRule.self)),
            ("AssistanceTier", Self.rawValues(AssistanceTier.self)),
            ("TravelRequirement", Self.rawValues(TravelRequirement.self)),
            ("FitnessOutcome", Self.rawValues(FitnessOutcome.self)),
            ("ClearanceOutcome", Self.rawValues(ClearanceOutcome.self)),
            ("ScreeningKind", Self.rawValues(ScreeningKind.self)),
            ("BookingHoldReason", Self.rawValues(BookingHoldReason.self)),
            ("BookingCancellationReason", Self.rawValues(BookingCancellationReason.self)),
            ("ReintegrationDimension", Self.rawValues(ReintegrationDimension.self)),
            ("AssistanceCategory", Self.rawValues(AssistanceCategory.self)),
            ("ReintegrationOutcome", Self.rawValues(ReintegrationOutcome.self)),
        ]
        for (name, values) in enums {
            for value in values {
                #expect(text.contains("\"\(value)\""), "\(name).\(value) occurs in no example")
            }
        }
    }

    // MARK: Round trip

    @Test("every example round-trips through EventRegistry and re-encodes byte for byte")
    func examplesRoundTrip() throws {
        let registry = EventRegistry(EventCatalogue.all)
        #expect(registry.types.count == EventCatalogue.all.count)
        for type in EventCatalogue.all {
            try Self.roundTrip(type, registry: registry)
        }
    }

    @Test("the outbox's envelope writer escapes attribute text as Foundation's encoder does")
    func envelopeWriterEscapesAsCodableDoes() throws {
        let encoder = EventCoding.encoder()
        let awkward = ["plain", "quote \" and backslash \\", "slash / stays", "tab\t newline\n cr\r", "\u{8}\u{c}\u{1}\u{1f}\u{7f}",
                       "é, ü, 中文, 🙂", ""]
        for text in awkward {
            let example = try #require(CaseRegistered.examples.first)
            let event = CloudEvent(id: EventID(text), caseID: CaseID(text), time: Date(timeIntervalSince1970: -1.5), correlationID: EventID(text),
                                   causationID: EventID(text), traceparent: text, data: example)
            #expect(try EnvelopeWriter.encode(event) == encoder.encode(event), "\(text.debugDescription)")
        }
    }

    // MARK: Helpers

    struct EncodedExample {
        let fileName: String
        let json: Data
    }

    static func encodedExamples<P: EventPayload>(of _: P.Type) throws -> [EncodedExample] {
        let encoder = EventCoding.encoder()
        return try P.catalogueExamples.enumerated().map { index, example in
            EncodedExample(
                fileName: "\(P.eventType.name).v\(P.eventType.major).\(index).json",
                json: try encoder.encode(envelope(example, index: index)))
        }
    }

    /// Even examples get the minimal envelope, odd ones every optional attribute.
    static func envelope<P: EventPayload>(_ example: P, index: Int) -> CloudEvent<P> {
        let caseID = CaseID("case-\(P.eventType.name)-\(index)")
        let time = Date(timeIntervalSince1970: 1_365_000_000.123 + Double(index))
        if index.isMultiple(of: 2) {
            return CloudEvent(caseID: caseID, time: time, data: example)
        }
        return CloudEvent(
            caseID: caseID, time: time, correlationID: EventID(), causationID: EventID(),
            traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", data: example)
    }

    static func roundTrip<P: EventPayload>(_ type: P.Type, registry: EventRegistry) throws {
        let encoder = EventCoding.encoder()
        for (index, example) in P.catalogueExamples.enumerated() {
            let event = envelope(example, index: index)
            let bytes = try encoder.encode(event)
            let received = try #require(try registry.decode(bytes, key: event.subject.rawValue))
            let label = "\(P.eventType) example \(index)"
            #expect(received.type == P.eventType, "\(label): type")
            #expect(received.payload(as: P.self) == example, "\(label): payload differs after decoding")
            #expect(received.id == event.id, "\(label): id")
            #expect(received.caseID == event.subject, "\(label): subject")
            #expect(Instant.format(received.time) == Instant.format(event.time), "\(label): time")
            #expect(received.correlationID == event.correlationid, "\(label): correlationid")
            #expect(received.causationID == event.causationid, "\(label): causationid")
            #expect(received.traceparent == event.traceparent, "\(label): traceparent")

            #expect(try EnvelopeWriter.encode(event) == bytes, "\(label): the outbox's hand-written envelope differs from Codable's")

            let decoded = try EventCoding.decoder().decode(CloudEvent<P>.self, from: bytes)
            #expect(decoded.data == example, "\(label): CloudEvent<\(P.self)> data differs")
            #expect(try encoder.encode(decoded) == bytes, "\(label): re-encoding changes the bytes")
        }
    }

    static func rawValues<E: CaseIterable & RawRepresentable>(_: E.Type) -> [String] where E.RawValue == String {
        E.allCases.map(\.rawValue)
    }

    static func schemaFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: schemasDir.path)
            .filter { $0.hasSuffix(".schema.json") }
            .sorted()
    }

    /// Runs `python3` with the arguments; returns its exit status and its combined output.
    static func python(_ arguments: String...) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
