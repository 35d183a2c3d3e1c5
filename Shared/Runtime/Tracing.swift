import W3CTraceContext

/// W3C `traceparent` values for events: a staff action starts a trace; an event caused by
/// another continues its trace with a new span.
public enum Traceparent {
    public static func start() -> String {
        TraceContext(traceID: .random(), spanID: .random(), flags: .sampled, state: TraceState([])).traceParentHeaderValue
    }

    /// The trace id of a `traceparent`, for log metadata; nil when it does not parse.
    public static func traceID(of traceparent: String) -> String? {
        (try? TraceContext(traceParentHeaderValue: traceparent)).map { "\($0.traceID)" }
    }
}
