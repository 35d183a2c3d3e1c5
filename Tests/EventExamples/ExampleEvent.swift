public import HomewardModel

/// An event type with representative instances, for the contract test (every event the
/// code can produce checked against its schema), the fuzzer's seeds and the services'
/// tests. Examples cover every enum case and optional field. Test code: the services
/// never see it.
public protocol ExampleEvent: EventPayload {
    static var examples: [Self] { get }
}

extension EventCatalogue {
    /// The examples of an event type of the catalogue (each has some: the contract test checks).
    public static func examples(of type: any EventPayload.Type) -> [any EventPayload] {
        (type as? any ExampleEvent.Type)?.anyExamples ?? []
    }
}

extension ExampleEvent {
    fileprivate static var anyExamples: [any EventPayload] { examples }
}

extension EventPayload {
    /// This type's examples, for code generic over payloads; none for a type without.
    public static var catalogueExamples: [Self] { EventCatalogue.examples(of: Self.self).compactMap { $0 as? Self } }
}
