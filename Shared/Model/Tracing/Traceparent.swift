import W3CTraceContext

/// W3C `traceparent` values for events: a staff action starts a trace; an event caused by
/// another continues its trace with a new span.
public enum Traceparent {
    /// Written directly: through `TraceContext` and its empty trace state, a new trace for
    /// every event caused by an untraced one cost health screening's consumer thread 4 %.
    public static func start() -> String {
        var random = RandomIDs()
        return "00-\(TraceID.random(using: &random))-\(SpanID.random(using: &random))-01"
    }

    /// The same trace, a new span: for an event caused by one carrying `parent`.
    /// A missing or unparsable parent starts a new trace.
    public static func child(of parent: String?) -> String {
        guard let parent else { return start() }
        var random = RandomIDs()
        if let fields = commonFields(of: parent) { return "00-\(fields.traceID)-\(SpanID.random(using: &random))-\(fields.flags)" }
        guard let context = try? TraceContext(traceParentHeaderValue: parent) else { return start() }
        return TraceContext(traceID: context.traceID, spanID: .random(using: &random), flags: context.flags, state: context.state).traceParentHeaderValue
    }

    /// The trace id of a `traceparent`, for log metadata; nil when it does not parse.
    public static func traceID(of traceparent: String) -> String? {
        if let fields = commonFields(of: traceparent) { return String(fields.traceID) }
        return (try? TraceContext(traceParentHeaderValue: traceparent)).map { "\($0.traceID)" }
    }

    /// The trace id and flags of the form every Homeward event carries, read from its
    /// bytes: `00-<32 hex>-<16 hex>-<00|01>`, ids not all zero. Every event applied passes
    /// here twice, and the library's general parser cost a stage 3 % of its CPU; any other
    /// form goes to that parser.
    static func commonFields(of value: String) -> (traceID: Substring, flags: Substring)? {
        let utf8 = value.utf8
        guard utf8.count == 55, utf8.starts(with: "00-".utf8) else { return nil }
        var traceNonZero = false, spanNonZero = false
        for (offset, byte) in utf8.enumerated() where offset >= 3 {
            switch offset {
            case 35, 52:
                guard byte == UInt8(ascii: "-") else { return nil }
            default:
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte) else { return nil }
                if byte != UInt8(ascii: "0") {
                    if offset < 35 { traceNonZero = true } else if offset < 52 { spanNonZero = true }
                }
            }
        }
        let flags = value[utf8.index(utf8.startIndex, offsetBy: 53)...]
        guard traceNonZero, spanNonZero, flags == "00" || flags == "01" else { return nil }
        return (value[utf8.index(utf8.startIndex, offsetBy: 3)..<utf8.index(utf8.startIndex, offsetBy: 35)], flags)
    }
}
