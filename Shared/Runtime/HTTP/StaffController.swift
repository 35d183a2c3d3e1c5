public import GRDB
public import Hummingbird

/// A service's controller of staff actions on one kind of record (a case, a traveller, a
/// booking): it says once how an action is done, and every route with a body is then one
/// line of ``action(_:)``.
public protocol StaffController: Sendable {
    /// The service's workflow, which holds the rules.
    associatedtype Workflow: Sendable
    /// What the path names (a case id, a traveller id, a booking id).
    associatedtype Target: Sendable
    /// The record answered after an action, as committed.
    associatedtype Answer: ResponseGenerator & Sendable

    /// Runs `body` on the target the path names in one write transaction of its store,
    /// and answers the record as committed.
    func change(_ context: ServiceRequestContext, _ body: @escaping @Sendable (Workflow, Target, Database) throws -> Void) async throws -> Answer
}

extension StaffController {
    /// The route of one staff action with a body: the body decoded as `Input` (a problem
    /// document when it does not decode), the action done as ``change(_:_:)`` does it.
    public func action<Input: Decodable & Sendable>(
        _ body: @escaping @Sendable (Workflow, Target, Input, Database) throws -> Void
    ) -> @Sendable (Request, ServiceRequestContext) async throws -> Answer {
        { request, context in
            let input = try await request.decodeBody(as: Input.self, context: context)
            return try await change(context) { workflow, target, db in try body(workflow, target, input, db) }
        }
    }
}
