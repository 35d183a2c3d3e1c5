import Foundation
import EventExamples
import HomewardModel

// Events: the bytes of a Kafka record's value, decoded as `EventPipeline.handle` decodes
// them, by the registry of a consumer that applies this one type (and skips the rest of
// the catalogue), with one decoder reused across records. After decoding, the pipeline
// reads the trace id out of `traceparent`; that parse runs here too.

/// The record key: the outbox keys every event by its case, the envelope's subject.
private let recordKey = "HW-fuzz0001"

let eventTargets: [FuzzTarget] = EventCatalogue.all.map { eventTarget($0) }

private func eventTarget<P: EventPayload>(_ type: P.Type) -> FuzzTarget {
    let registry = EventRegistry([P.self])
    let decoder = registry.makeDecoder()  // reused across records, as in the pipeline
    return FuzzTarget(
        name: "event.\(P.eventType.name)",
        seeds: { try eventSeeds(P.self) },
        run: { data in
            do throws(EventDecodingError) {
                guard let event = try registry.decode(data, key: recordKey, decoder: decoder) else { return .skipped }
                _ = event.traceparent.flatMap(Traceparent.traceID(of:))
                return .accepted
            } catch {
                _ = error.description  // what the dead-letter record carries
                return .refused
            }
        })
}

/// Each catalogue example in a full envelope, and once more without the optional attributes.
private func eventSeeds<P: EventPayload>(_ type: P.Type) throws -> [Data] {
    let encoder = EventCoding.encoder()
    let time = Instant.parse("2026-11-22T17:10:00.125Z")!
    return try P.catalogueExamples.enumerated().flatMap { index, example in
        let full = CloudEvent(
            id: EventID("evt-\(index)-full"), caseID: CaseID(recordKey), time: time,
            correlationID: EventID("evt-correlation"), causationID: EventID("evt-cause"),
            traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", data: example)
        let bare = CloudEvent(id: EventID("evt-\(index)-bare"), caseID: CaseID(recordKey), time: time, data: example)
        return [try encoder.encode(full), try encoder.encode(bare)]
    }
}
