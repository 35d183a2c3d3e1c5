import Foundation
import HomewardModel

/// `EventRegistry.decode` as it was before the envelope was scanned by hand (Codable's keyed
/// container over the whole message), kept only as the reference the new reading must
/// agree with. Not a decoder to use: it is the slow one.
struct ReferenceEnvelopeDecoder {
    fileprivate typealias Entry = @Sendable (KeyedDecodingContainer<ReferenceKey>) throws -> any EventPayload
    fileprivate var entries: [EventType: Entry] = [:]
    fileprivate var majors: [String: [Int]] = [:]
    fileprivate var ignored: Set<EventType> = []

    init(_ types: [any EventPayload.Type], ignoring others: [any EventPayload.Type] = EventCatalogue.all) {
        for type in types { register(type) }
        ignored = Set(others.map { $0.eventType }.filter { majors[$0.name] == nil })
    }

    private mutating func register<P: EventPayload>(_ type: P.Type) {
        entries[P.eventType] = { container in try container.decode(P.self, forKey: .data) }
        if majors[P.eventType.name]?.contains(P.eventType.major) != true {
            majors[P.eventType.name, default: []].append(P.eventType.major)
            majors[P.eventType.name]?.sort()
        }
    }

    func makeDecoder() -> JSONDecoder {
        let decoder = EventCoding.decoder()
        decoder.userInfo[referenceKey] = ReferenceBox(self)
        return decoder
    }

    func decode(_ data: Data, key: String?, decoder: JSONDecoder? = nil) throws(EventDecodingError) -> ReceivedEvent? {
        let decoder = decoder ?? makeDecoder()
        let envelope: ReferenceEnvelope
        do {
            envelope = try decoder.decode(ReferenceEnvelope.self, from: data)
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

private final class ReferenceBox: @unchecked Sendable {
    let decoder: ReferenceEnvelopeDecoder
    init(_ decoder: ReferenceEnvelopeDecoder) { self.decoder = decoder }
}

private let referenceKey = CodingUserInfoKey(rawValue: "homeward.reference-envelope")!

private enum ReferenceKey: String, CodingKey {
    case id, specversion, type, subject, time, correlationid, causationid, traceparent, data
}

private struct ReferenceEnvelope: Decodable {
    let event: ReceivedEvent?

    init(from decoder: any Decoder) throws {
        guard let registry = (decoder.userInfo[referenceKey] as? ReferenceBox)?.decoder else {
            preconditionFailure("decode with ReferenceEnvelopeDecoder.makeDecoder()")
        }
        let c = try decoder.container(keyedBy: ReferenceKey.self)
        func attribute<T: Decodable>(_ type: T.Type, _ key: ReferenceKey) throws -> T? {
            do {
                return try c.decodeIfPresent(type, forKey: key)
            } catch {
                throw EventDecodingError.invalidData(type: "envelope", detail: ReferenceEnvelopeDecoder.describe(error))
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
            payload = try entry(c)
        } catch {
            throw EventDecodingError.invalidData(type: type.cloudEventsType, detail: ReferenceEnvelopeDecoder.describe(error))
        }
        event = ReceivedEvent(
            id: id, type: type, caseID: caseID, time: time,
            correlationID: try attribute(EventID.self, .correlationid) ?? id,
            causationID: try attribute(EventID.self, .causationid),
            traceparent: try attribute(String.self, .traceparent), payload: payload)
    }
}
