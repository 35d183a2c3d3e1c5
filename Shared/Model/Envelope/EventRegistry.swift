public import Foundation

/// The event types one consumer applies, and the decoder that turns Kafka message bytes
/// into a ``ReceivedEvent``, nil for an event meant for other consumers, or a precise
/// ``EventDecodingError``.
///
/// A topic carries every event type of its producer, and a consumer applies only some:
/// catalogue types it does not handle are skipped. Types unknown to the catalogue, and
/// majors this consumer does not read of types it handles, are errors (dead letters).
public struct EventRegistry: Sendable {
    fileprivate struct Entry: Sendable {
        let decode: @Sendable (JSONDecoder, Data) throws -> any EventPayload
    }

    /// What a `type` attribute's text means to this consumer, looked up once per message
    /// instead of parsed: every registered and every ignored type is here.
    fileprivate enum KnownType: Sendable {
        case applied(EventType, Entry)
        case ignored
    }

    fileprivate var entries: [EventType: Entry] = [:]
    fileprivate var majors: [String: [Int]] = [:]
    fileprivate var ignored: Set<EventType> = []
    fileprivate var known: [String: KnownType] = [:]

    /// - Parameters:
    ///   - types: the types this consumer applies.
    ///   - others: known types it skips (by default the whole catalogue).
    public init(_ types: [any EventPayload.Type] = [], ignoring others: [any EventPayload.Type] = EventCatalogue.all) {
        for type in types { register(type) }
        ignored = Set(others.map { $0.eventType }.filter { majors[$0.name] == nil })
        for type in ignored { known[type.cloudEventsType] = .ignored }
    }

    public mutating func register<P: EventPayload>(_ type: P.Type) {
        let entry = Entry { decoder, data in try decoder.decode(P.self, from: data) }
        entries[P.eventType] = entry
        known[P.eventType.cloudEventsType] = ignored.contains(P.eventType) ? .ignored : .applied(P.eventType, entry)
        if majors[P.eventType.name]?.contains(P.eventType.major) != true {
            majors[P.eventType.name, default: []].append(P.eventType.major)
            majors[P.eventType.name]?.sort()
        }
    }

    public var types: [EventType] { Array(entries.keys) }

    /// A decoder for ``decode(_:key:decoder:)``'s payloads; reuse it across messages on one thread.
    public func makeDecoder() -> JSONDecoder {
        EventCoding.decoder()
    }

    /// Decodes one message: the envelope is checked and the payload type chosen while
    /// reading. `key` is the Kafka key; when present it must equal the subject. Returns
    /// nil for a catalogue type this consumer does not apply.
    public func decode(_ data: Data, key: String?, decoder: JSONDecoder? = nil) throws(EventDecodingError) -> ReceivedEvent? {
        let decoder = decoder ?? makeDecoder()
        let read = data.withUnsafeBytes { bytes in
            Result { () throws(EventDecodingError) in try readEnvelope(bytes, of: data, decoder: decoder) }
        }
        guard let event = try read.get() else { return nil }
        if let key, key != event.caseID.rawValue { throw .keyMismatch }
        return event
    }

    /// Reads the envelope from the message's bytes and only `data` with `JSONDecoder`,
    /// checking the attributes in a fixed order so that every bad message gets the same,
    /// precise error (the order and the errors `JSONDecoder`'s keyed container gave).
    private func readEnvelope(_ bytes: UnsafeRawBufferPointer, of message: Data, decoder: JSONDecoder) throws(EventDecodingError) -> ReceivedEvent? {
        guard let scan = EnvelopeScanner.scan(bytes, noting: EnvelopeKey.names) else { throw .malformedJSON }
        let values = scan.values
        switch scan.top {
        case .object: break
        case .null: throw .invalidData(type: "envelope", detail: "null at (root)")
        case .other: throw .malformedJSON
        }
        /// A string attribute; nil when absent or null.
        func attribute(_ key: EnvelopeKey) throws(EventDecodingError) -> String? {
            guard let value = values[key.rawValue], value.kind != .null else { return nil }
            guard value.kind == .string else { throw .invalidData(type: "envelope", detail: "wrong type at \(key)") }
            return EnvelopeScanner.string(value, in: bytes)
        }
        guard let specversion = try attribute(.specversion) else { throw .missingAttribute("specversion") }
        guard specversion == "1.0" else { throw .unsupportedSpecVersion(String(specversion.prefix(10))) }
        guard let id = try attribute(.id), !id.isEmpty else { throw .missingAttribute("id") }
        guard let typeText = try attribute(.type) else { throw .missingAttribute("type") }
        let type: EventType, cached: Entry?
        switch known[typeText] {
        case .ignored: return nil
        case .applied(let knownType, let entry): (type, cached) = (knownType, entry)
        case nil:
            guard let parsed = EventType(cloudEventsType: typeText) else { throw .unrecognisedType(typeText) }
            if ignored.contains(parsed) { return nil }
            (type, cached) = (parsed, nil)
        }
        guard let caseID = try attribute(.subject), !caseID.isEmpty else { throw .missingAttribute("subject") }
        guard let timeText = try attribute(.time) else { throw .missingAttribute("time") }
        guard let time = Instant.parse(timeText) else { throw .invalidData(type: "envelope", detail: "invalid value at time") }
        guard let entry = cached ?? entries[type] else {
            if let known = majors[type.name] {
                throw .unsupportedVersion(type: type.name, major: type.major, supported: known)
            }
            throw .unknownType(type.cloudEventsType)
        }
        guard let data = values[EnvelopeKey.data.rawValue] else {
            throw .invalidData(type: type.cloudEventsType, detail: "missing 'data'")
        }
        let payload: any EventPayload
        do {
            let start = message.startIndex
            payload = try entry.decode(decoder, message[(start + data.start)..<(start + data.end)])
        } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
            // How `JSONDecoder` reports, at the top of what it decodes, a value it cannot
            // read (`1.5` for an Int): decoded inside the envelope, the error came out bare
            // and was named "undecodable". No payload throws at its own root.
            throw .invalidData(type: type.cloudEventsType, detail: "undecodable")
        } catch {
            throw .invalidData(type: type.cloudEventsType, detail: Self.describe(error, under: "data"))
        }
        return ReceivedEvent(
            id: EventID(id), type: type, caseID: CaseID(caseID), time: time,
            correlationID: try attribute(.correlationid).map(EventID.init) ?? EventID(id),
            causationID: try attribute(.causationid).map(EventID.init),
            traceparent: try attribute(.traceparent), payload: payload)
    }

    /// Names the path and the problem, never the offending value (it may be personal).
    /// `under`: the key the decoded value sat at, which its coding path does not hold.
    static func describe(_ error: any Error, under parent: String? = nil) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let p = ([parent].compactMap { $0 } + context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }).joined(separator: ".")
            return p.isEmpty ? "(root)" : p
        }
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            let parent = path(context)
            return "missing '\(key.stringValue)'" + (parent == "(root)" ? "" : " in \(parent)")
        case DecodingError.typeMismatch(_, let context): return "wrong type at \(path(context))"
        case DecodingError.valueNotFound(_, let context): return "null at \(path(context))"
        case DecodingError.dataCorrupted(let context): return "invalid value at \(path(context))"
        default: return "undecodable"
        }
    }
}

/// The attributes read, in the order of ``EnvelopeScanner``'s noted values.
private enum EnvelopeKey: Int, CaseIterable, CustomStringConvertible {
    case id, specversion, type, subject, time, correlationid, causationid, traceparent, data

    private static let texts = ["id", "specversion", "type", "subject", "time", "correlationid", "causationid", "traceparent", "data"]
    static let names = texts.map { Array($0.utf8) }

    var description: String { Self.texts[rawValue] }
}
