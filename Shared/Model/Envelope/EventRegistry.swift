public import Foundation

/// The event types one consumer applies, and the decoder that turns Kafka message bytes
/// into a ``ReceivedEvent``, nil for an event meant for other consumers, or a precise
/// ``EventDecodingError``.
///
/// A topic carries every event type of its producer, and a consumer applies only some:
/// catalogue types it does not handle are skipped. Types unknown to the catalogue, and
/// majors this consumer does not read of types it handles, are errors (dead letters).
public struct EventRegistry: Sendable {
    private struct Entry: Sendable {
        let decode: @Sendable (JSONDecoder, Data) throws -> any EventPayload
    }

    private var entries: [EventType: Entry] = [:]
    private var majors: [String: [Int]] = [:]
    private var ignored: Set<EventType> = []

    /// - Parameters:
    ///   - types: the types this consumer applies.
    ///   - others: known types it skips (by default the whole catalogue).
    public init(_ types: [any EventPayload.Type] = [], ignoring others: [any EventPayload.Type] = EventCatalogue.all) {
        for type in types { register(type) }
        ignored = Set(others.map { $0.eventType }.filter { majors[$0.name] == nil })
    }

    public mutating func register<P: EventPayload>(_ type: P.Type) {
        entries[P.eventType] = Entry { decoder, data in
            try decoder.decode(DataOnly<P>.self, from: data).data
        }
        if majors[P.eventType.name]?.contains(P.eventType.major) != true {
            majors[P.eventType.name, default: []].append(P.eventType.major)
            majors[P.eventType.name]?.sort()
        }
    }

    public var types: [EventType] { Array(entries.keys) }

    /// Decodes one message. `key` is the Kafka key; when present it must equal the subject.
    public func decode(_ data: Data, key: String?, decoder: JSONDecoder = EventCoding.decoder()) throws(EventDecodingError) -> ReceivedEvent? {
        let header: EventHeader
        do {
            header = try decoder.decode(EventHeader.self, from: data)
        } catch {
            throw Self.envelopeError(error)
        }
        guard let specversion = header.specversion else { throw .missingAttribute("specversion") }
        guard specversion == "1.0" else { throw .unsupportedSpecVersion(String(specversion.prefix(10))) }
        guard let id = header.id, !id.rawValue.isEmpty else { throw .missingAttribute("id") }
        guard let typeText = header.type else { throw .missingAttribute("type") }
        guard let type = EventType(cloudEventsType: typeText) else { throw .unrecognisedType(typeText) }
        if ignored.contains(type) { return nil }
        guard let caseID = header.subject, !caseID.rawValue.isEmpty else { throw .missingAttribute("subject") }
        guard let time = header.time else { throw .missingAttribute("time") }
        if let key, key != caseID.rawValue { throw .keyMismatch }
        guard let entry = entries[type] else {
            if let known = majors[type.name] {
                throw .unsupportedVersion(type: type.name, major: type.major, supported: known)
            }
            throw .unknownType(type.cloudEventsType)
        }
        let payload: any EventPayload
        do {
            payload = try entry.decode(decoder, data)
        } catch {
            throw .invalidData(type: type.cloudEventsType, detail: Self.describe(error))
        }
        return ReceivedEvent(
            id: id, type: type, caseID: caseID, time: time,
            correlationID: header.correlationid ?? id, causationID: header.causationid,
            traceparent: header.traceparent, payload: payload
        )
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

private struct DataOnly<P: EventPayload>: Decodable {
    let data: P
}
