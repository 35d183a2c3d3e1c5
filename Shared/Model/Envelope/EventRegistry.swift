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
        let decode: @Sendable (KeyedDecodingContainer<EnvelopeKey>) throws -> any EventPayload
    }

    fileprivate var entries: [EventType: Entry] = [:]
    fileprivate var majors: [String: [Int]] = [:]
    fileprivate var ignored: Set<EventType> = []

    /// - Parameters:
    ///   - types: the types this consumer applies.
    ///   - others: known types it skips (by default the whole catalogue).
    public init(_ types: [any EventPayload.Type] = [], ignoring others: [any EventPayload.Type] = EventCatalogue.all) {
        for type in types { register(type) }
        ignored = Set(others.map { $0.eventType }.filter { majors[$0.name] == nil })
    }

    public mutating func register<P: EventPayload>(_ type: P.Type) {
        entries[P.eventType] = Entry { container in try container.decode(P.self, forKey: .data) }
        if majors[P.eventType.name]?.contains(P.eventType.major) != true {
            majors[P.eventType.name, default: []].append(P.eventType.major)
            majors[P.eventType.name]?.sort()
        }
    }

    public var types: [EventType] { Array(entries.keys) }

    /// A decoder for ``decode(_:key:decoder:)``; reuse it across messages on one thread.
    public func makeDecoder() -> JSONDecoder {
        let decoder = EventCoding.decoder()
        decoder.userInfo[registryKey] = self
        return decoder
    }

    /// Decodes one message in a single pass: the envelope is checked and the payload type
    /// chosen while reading. `key` is the Kafka key; when present it must equal the
    /// subject. Returns nil for a catalogue type this consumer does not apply.
    public func decode(_ data: Data, key: String?, decoder: JSONDecoder? = nil) throws(EventDecodingError) -> ReceivedEvent? {
        let decoder = decoder ?? makeDecoder()
        let envelope: Envelope
        do {
            envelope = try decoder.decode(Envelope.self, from: data)
        } catch let error as EventDecodingError {
            throw error
        } catch {
            throw Self.envelopeError(error)
        }
        guard let event = envelope.event else { return nil }
        if let key, key != event.caseID.rawValue { throw .keyMismatch }
        return event
    }

    private static func envelopeError(_ error: any Error) -> EventDecodingError {
        if case DecodingError.dataCorrupted(let context) = error, context.codingPath.isEmpty {
            return .malformedJSON
        }
        if case DecodingError.typeMismatch(_, let context) = error, context.codingPath.isEmpty {
            return .malformedJSON
        }
        return .invalidData(type: "envelope", detail: describe(error))
    }

    /// Names the path and the problem, never the offending value (it may be personal).
    static func describe(_ error: any Error) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let p = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
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

private let registryKey = CodingUserInfoKey(rawValue: "homeward.event-registry")!

fileprivate enum EnvelopeKey: String, CodingKey {
    case id, specversion, type, subject, time, correlationid, causationid, traceparent, data
}

/// The envelope read in one pass, checking attributes in a fixed order so that every
/// bad message gets the same, precise error.
private struct Envelope: Decodable {
    let event: ReceivedEvent?

    init(from decoder: any Decoder) throws {
        guard let registry = decoder.userInfo[registryKey] as? EventRegistry else {
            preconditionFailure("decode events with EventRegistry.makeDecoder()")
        }
        let c = try decoder.container(keyedBy: EnvelopeKey.self)
        func attribute<T: Decodable>(_ type: T.Type, _ key: EnvelopeKey) throws -> T? {
            do {
                return try c.decodeIfPresent(type, forKey: key)
            } catch {
                throw EventDecodingError.invalidData(type: "envelope", detail: EventRegistry.describe(error))
            }
        }
        guard let specversion = try attribute(String.self, .specversion) else { throw EventDecodingError.missingAttribute("specversion") }
        guard specversion == "1.0" else { throw EventDecodingError.unsupportedSpecVersion(String(specversion.prefix(10))) }
        guard let id = try attribute(EventID.self, .id), !id.rawValue.isEmpty else { throw EventDecodingError.missingAttribute("id") }
        guard let typeText = try attribute(String.self, .type) else { throw EventDecodingError.missingAttribute("type") }
        guard let type = EventType(cloudEventsType: typeText) else { throw EventDecodingError.unrecognisedType(typeText) }
        if registry.ignored.contains(type) {
            event = nil
            return
        }
        guard let caseID = try attribute(CaseID.self, .subject), !caseID.rawValue.isEmpty else { throw EventDecodingError.missingAttribute("subject") }
        guard let time = try attribute(Date.self, .time) else { throw EventDecodingError.missingAttribute("time") }
        guard let entry = registry.entries[type] else {
            if let known = registry.majors[type.name] {
                throw EventDecodingError.unsupportedVersion(type: type.name, major: type.major, supported: known)
            }
            throw EventDecodingError.unknownType(type.cloudEventsType)
        }
        let payload: any EventPayload
        do {
            payload = try entry.decode(c)
        } catch {
            throw EventDecodingError.invalidData(type: type.cloudEventsType, detail: EventRegistry.describe(error))
        }
        event = ReceivedEvent(
            id: id, type: type, caseID: caseID, time: time,
            correlationID: try attribute(EventID.self, .correlationid) ?? id,
            causationID: try attribute(EventID.self, .causationid),
            traceparent: try attribute(String.self, .traceparent), payload: payload)
    }
}
