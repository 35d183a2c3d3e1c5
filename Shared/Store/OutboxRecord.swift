public import Foundation

/// One message waiting in (or published from) the outbox.
public struct OutboxRecord: Sendable {
    public var seq: Int64
    public var eventID: String
    public var topic: String
    /// Set for dead letters, which go to the partition their original came from.
    public var partition: Int32?
    public var key: String?
    public var value: Data
    public var headers: [(String, String)]
    public var createdAt: Date
}
