/// Thrown by a service's event handler when an event can never be applied (it breaks a
/// rule, refers to nothing known): it is dead-lettered at once, without retries.
/// Other errors are retried a bounded number of times first.
public struct EventRejected: Error, CustomStringConvertible, Sendable {
    /// Which rule the event breaks; an id-free sentence, it travels in a Kafka header.
    public let rule: String
    public init(_ rule: String) { self.rule = rule }
    public var description: String { rule }
}
