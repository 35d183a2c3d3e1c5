import W3CTraceContext

/// W3C `traceparent` values for events: a staff action starts a trace; an event caused by
/// another continues its trace with a new span.
public enum Traceparent {
    public static func start() -> String {
        TraceContext(traceID: .random(), spanID: .random(), flags: .sampled, state: TraceState([])).traceParentHeaderValue
    }

    /// The same trace, a new span: for an event caused by one carrying `parent`.
    /// A missing or unparsable parent starts a new trace.
    public static func child(of parent: String?) -> String {
        guard let parent, let context = try? TraceContext(traceParentHeaderValue: parent) else { return start() }
        return TraceContext(traceID: context.traceID, spanID: .random(), flags: context.flags, state: context.state).traceParentHeaderValue
    }

    /// The trace id of a `traceparent`, for log metadata; nil when it does not parse.
    public static func traceID(of traceparent: String) -> String? {
        (try? TraceContext(traceParentHeaderValue: traceparent)).map { "\($0.traceID)" }
    }
}
