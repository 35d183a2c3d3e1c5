import Foundation

/// The unique id of one event (CloudEvents `id`): consumers de-duplicate by it.
public struct EventID: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    /// A new random id.
    public init() { rawValue = RandomIDs.uuid() }
}
