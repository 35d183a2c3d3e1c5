/// How long journeys wait and how often they look.
public struct Timing: Sendable {
    /// How long one step may take to converge, retries included, before the journey gives
    /// up naming the step.
    public var stepDeadline: Duration
    /// How long a wait for another service to show an event's effect may take.
    public var waitDeadline: Duration
    /// The pause after a failed attempt, before re-checking.
    public var retryPause: Duration
    /// The first pause between polls; it grows by half each poll up to ``pollCeiling``.
    public var pollFloor: Duration
    /// The longest pause between polls.
    public var pollCeiling: Duration
    /// How long a journey keeps checking that something did NOT happen downstream
    /// (no screening opened, no reintegration case) after intake's decision is final.
    public var absenceWindow: Duration
    /// The timeout of one HTTP request.
    public var requestTimeout: Duration

    /// - Parameters: see the properties; the defaults suit a local stack under faults.
    public init(stepDeadline: Duration = .seconds(120), waitDeadline: Duration = .seconds(120), retryPause: Duration = .milliseconds(250),
                pollFloor: Duration = .milliseconds(100), pollCeiling: Duration = .seconds(1), absenceWindow: Duration = .seconds(3),
                requestTimeout: Duration = .seconds(30)) {
        self.stepDeadline = stepDeadline
        self.waitDeadline = waitDeadline
        self.retryPause = retryPause
        self.pollFloor = pollFloor
        self.pollCeiling = pollCeiling
        self.absenceWindow = absenceWindow
        self.requestTimeout = requestTimeout
    }
}
