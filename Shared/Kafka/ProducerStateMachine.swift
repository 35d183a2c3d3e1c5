/// A producer's life, from its poll thread's start to the release of its handle:
/// running → flushing (close) → stopping (flushed) → finished (the poll thread stopped),
/// or running → stopping when the producer is dropped without a close. The poll thread
/// releases the handle when it stops, whichever way it came to.
struct ProducerStateMachine {
    enum State {
        /// The poll thread serves delivery reports.
        case running
        /// ``KafkaProducer/close(timeout:)`` waits for outstanding deliveries; reports are
        /// still served.
        case flushing
        /// The poll thread stops at its next turn and releases the handle.
        case stopping
        /// The handle is released.
        case finished
    }

    enum CloseAction: Equatable {
        /// Flush, then ``flushed()`` and wait for the poll thread to stop.
        case flush
        /// Closed or closing already: nothing to do.
        case none
    }

    private(set) var state = State.running

    /// Whether the poll thread polls again, and a send waits for room in a full queue
    /// (which only the poll thread's reports make).
    var isPolling: Bool {
        switch state {
        case .running, .flushing: true
        case .stopping, .finished: false
        }
    }

    var isFinished: Bool {
        if case .finished = state { true } else { false }
    }

    mutating func close() -> CloseAction {
        guard case .running = state else { return .none }
        state = .flushing
        return .flush
    }

    mutating func flushed() {
        if case .flushing = state { state = .stopping }
    }

    /// Dropped without a close: the poll thread stops and releases the handle. While a
    /// close flushes, the close goes on and stops the poll thread itself.
    mutating func abandoned() {
        if case .running = state { state = .stopping }
    }

    mutating func pollerStopped() {
        state = .finished
    }
}
