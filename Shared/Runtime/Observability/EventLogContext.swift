public import HomewardModel
public import Logging

/// The event being applied, as log metadata (case, event and trace ids), bound while its
/// handler runs and read only when a line is written: set on the logger for every event,
/// the text handler re-rendered it each time (2.5 % of health screening's consumer
/// thread), for lines no handler writes today.
public enum EventLogContext {
    @TaskLocal public static var event: ReceivedEvent?

    /// Given to every log handler at bootstrap.
    public static let metadataProvider = Logger.MetadataProvider {
        guard let event else { return [:] }
        var metadata: Logger.Metadata = ["case_id": "\(event.caseID)", "event_id": "\(event.id)"]
        if let traceID = event.traceparent.flatMap(Traceparent.traceID(of:)) { metadata["trace_id"] = "\(traceID)" }
        return metadata
    }
}
