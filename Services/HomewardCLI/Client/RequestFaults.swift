/// One request as the fault hook sees it.
public struct OutgoingRequest: Sendable, CustomStringConvertible {
    /// The service's name (`intake`, `health-screening`, `travel-booking`, `reintegration`).
    public let service: String
    /// The HTTP method.
    public let method: String
    /// The path after the service's base URL, with any query (`cases/HW-1/declaration`).
    public let path: String

    /// `service METHOD path`.
    public var description: String { "\(service) \(method) \(path)" }
}

/// A hook for a fault harness: fail a request before it is sent, or drop the answer after
/// the server has answered (so the caller cannot know whether its write happened).
///
/// Both are called for every request, reads included; the defaults inject nothing.
public protocol RequestFaults: Sendable {
    /// Throw to fail `request` without sending it; the caller sees a transient
    /// ``ServiceError`` (`injectedBeforeSending`).
    func beforeSending(_ request: OutgoingRequest) async throws
    /// Return `true` to drop the server's answer (`status`) to `request`; the caller sees a
    /// transient ``ServiceError`` (`answerDropped`) although the server did the work.
    func dropsAnswer(to request: OutgoingRequest, status: Int) async -> Bool
}

extension RequestFaults {
    /// Sends every request.
    public func beforeSending(_ request: OutgoingRequest) async throws {}
    /// Drops no answer.
    public func dropsAnswer(to request: OutgoingRequest, status: Int) async -> Bool { false }
}

/// ``RequestFaults`` from two closures, for harnesses that need no type of their own.
public struct FaultHooks: RequestFaults {
    private let before: @Sendable (OutgoingRequest) async throws -> Void
    private let drop: @Sendable (OutgoingRequest, Int) async -> Bool

    /// - Parameters:
    ///   - beforeSending: throws to fail the request before it is sent.
    ///   - dropsAnswer: returns `true` to drop the server's answer with this status.
    public init(beforeSending: @escaping @Sendable (OutgoingRequest) async throws -> Void = { _ in },
                dropsAnswer: @escaping @Sendable (OutgoingRequest, Int) async -> Bool = { _, _ in false }) {
        self.before = beforeSending
        self.drop = dropsAnswer
    }

    /// Calls the `beforeSending` closure.
    public func beforeSending(_ request: OutgoingRequest) async throws { try await before(request) }
    /// Calls the `dropsAnswer` closure.
    public func dropsAnswer(to request: OutgoingRequest, status: Int) async -> Bool { await drop(request, status) }
}
