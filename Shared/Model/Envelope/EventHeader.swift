public import Foundation

/// The envelope attributes of an event, read before its type is known.
/// Everything is optional here so that a bad envelope yields a precise error.
public struct EventHeader: Decodable, Sendable {
    public var id: EventID?
    public var source: String?
    public var specversion: String?
    public var type: String?
    public var subject: CaseID?
    public var time: Date?
    public var correlationid: EventID?
    public var causationid: EventID?
    public var traceparent: String?
}
