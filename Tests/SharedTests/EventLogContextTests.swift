import Foundation
import EventExamples
import HomewardModel
import HomewardRuntime
import Logging
import Testing

@Suite("Log lines written while an event is applied name it")
struct EventLogContextTests {
    static let event = ReceivedEvent(
        id: "evt-1", type: CaseRegistered.eventType, caseID: "case-1", time: Date(), correlationID: "evt-1", causationID: nil,
        traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", payload: CaseRegistered.examples[0])

    @Test func theProviderNamesTheEventOnlyWhileItIsBound() {
        #expect(EventLogContext.metadataProvider.get().isEmpty)
        let bound = EventLogContext.$event.withValue(Self.event) { EventLogContext.metadataProvider.get() }
        #expect(bound["case_id"]?.description == "case-1")
        #expect(bound["event_id"]?.description == "evt-1")
        #expect(bound["trace_id"]?.description == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(EventLogContext.metadataProvider.get().isEmpty)
    }

    /// The consumer applies events on a thread of its own, outside any task.
    @Test func itHoldsOnAThreadOutsideAnyTask() async {
        let seen = await withCheckedContinuation { (continuation: CheckedContinuation<String?, Never>) in
            Thread {
                let value = EventLogContext.$event.withValue(Self.event) { EventLogContext.metadataProvider.get()["case_id"]?.description }
                continuation.resume(returning: value)
            }.start()
        }
        #expect(seen == "case-1")
    }
}
