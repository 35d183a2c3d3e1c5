public import HomewardModel
public import Logging

/// The event being applied, as log metadata (case, event and trace ids), bound while its
/// handler runs and read only when a line is written: set on the logger for every event,
/// it was re-rendered by the text handler each time, a fortieth of a stage's CPU for lines
/// mostly never written.
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
