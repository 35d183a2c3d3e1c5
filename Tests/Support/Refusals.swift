public import HomewardRuntime
public import Testing

/// The problem `body` is refused with. Accepted, or failing with another error, it records
/// an issue and gives nil: the caller checks the rule, status and field it expects.
public func refusal(expecting rule: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) -> Problem? {
    do {
        try body()
        Issue.record("accepted; expected \(rule)", sourceLocation: sourceLocation)
    } catch let refusal as any ProblemConvertible {
        return refusal.problem
    } catch {
        Issue.record("\(error)", sourceLocation: sourceLocation)
    }
    return nil
}
