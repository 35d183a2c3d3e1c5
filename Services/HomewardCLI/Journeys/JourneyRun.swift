import Foundation
public import HomewardClient

/// One running journey instance: the staff it works through, its progress lines, and the
/// three ways it touches the services, each safe under retries and faults.
///
/// - ``ensure(_:deadline:retryingRules:isDone:act:)``: a write that converges exactly once.
/// - ``waitFor(_:deadline:_:)``: a poll, with a deadline, until another service shows an
///   event's effect.
/// - ``verify(_:deadline:_:)``: a check of the final state, polled until it holds.
///
/// Never a fixed sleep: every pause is between attempts at a condition, and every loop ends
/// at a deadline with a ``JourneyError`` naming the journey and the step.
public final class JourneyRun {
    /// The journey instance, as errors name it (`title [seed N]`).
    public let journey: String
    /// The staff, with the stack's clock measured.
    public let staff: Staff
    /// The checks that held so far, in order.
    public private(set) var verified: [String] = []
    private let progress: (String) -> Void
    private var steps = 0
    private let started = ContinuousClock.now

    /// A run of the journey instance `journey`, reporting progress lines to `progress`.
    public init(journey: String, staff: Staff, progress: @escaping @Sendable (String) -> Void) {
        self.journey = journey
        self.staff = staff
        self.progress = progress
    }

    /// How long the run has taken so far.
    public var elapsed: Duration { ContinuousClock.now - started }

    /// Reports a step done, numbered.
    public func say(_ line: String) {
        steps += 1
        progress(String(format: "%2d. ", steps) + line)
    }

    /// A write that converges exactly once under retries.
    ///
    /// Acts; on any transient failure (no answer, timeout, dropped answer, 5xx, an injected
    /// fault), a refusal whose rule is in `retryingRules` (a precondition another service has
    /// not caught up with) or a 404 (the case not known there yet), pauses, checks `isDone`
    /// (an earlier attempt may have landed) and acts again only if still not done. A refusal
    /// with another rule is checked once more and otherwise ends the journey. After an action
    /// succeeds, `isDone` must hold: both read the same service. Nothing is checked before
    /// the first attempt, as a person at a desk would not: under load that read was a fifth
    /// of a journey's requests.
    ///
    /// - Returns: what `isDone` answered once done.
    @discardableResult
    public func ensure<T>(_ step: String, deadline: Duration? = nil, retryingRules: Set<String> = [],
                          isDone: () async throws -> T?, act: () async throws -> Void) async throws -> T {
        let limit = deadline ?? staff.timing.stepDeadline
        let ends = ContinuousClock.now.advanced(by: limit)
        var last: String?
        var acted = false
        var attempted = false
        var attempt = 0
        while true {
            if attempted {
                do {
                    if let value = try await isDone() { return value }
                    if acted {
                        throw JourneyError(journey: journey, step: step, reason: .notAsExpected("the action succeeded, but its check does not see it"))
                    }
                } catch let error as ServiceError where error.isTransient {
                    last = error.description
                    try await pause(&attempt, until: ends, step: step, limit: limit, last: last)
                    continue
                } catch let error as ServiceError {
                    throw JourneyError(journey: journey, step: step, reason: .refused(error))
                }
            }
            attempted = true
            do {
                try await act()
                acted = true
            } catch let error as ServiceError where error.isTransient || error.status == 404 || error.rule.map(retryingRules.contains) == true {
                last = error.description
                try await pause(&attempt, until: ends, step: step, limit: limit, last: last)
            } catch let error as ServiceError {
                if let value = try? await isDone() { return value }
                throw JourneyError(journey: journey, step: step, reason: .refused(error))
            }
        }
    }

    /// ``ensure(_:deadline:retryingRules:isDone:act:)`` with a yes/no check.
    public func ensure(_ step: String, deadline: Duration? = nil, retryingRules: Set<String> = [],
                       isDone: () async throws -> Bool, act: () async throws -> Void) async throws {
        let _: Bool = try await ensure(step, deadline: deadline, retryingRules: retryingRules,
                                       isDone: { try await isDone() ? true : nil }, act: act)
    }

    /// An action the service itself makes idempotent (intake's registration with an
    /// `Idempotency-Key`): repeated as it is after transient failures until it answers.
    public func repeatUntilAnswered<T>(_ step: String, deadline: Duration? = nil, _ act: () async throws -> T) async throws -> T {
        let limit = deadline ?? staff.timing.stepDeadline
        let ends = ContinuousClock.now.advanced(by: limit)
        var attempt = 0
        while true {
            do {
                return try await act()
            } catch let error as ServiceError where error.isTransient {
                try await pause(&attempt, until: ends, step: step, limit: limit, last: error.description)
            } catch let error as ServiceError {
                throw JourneyError(journey: journey, step: step, reason: .refused(error))
            }
        }
    }

    /// An action the service must refuse with `rule`, changing nothing. Transient failures
    /// are retried; an answer of success, or a refusal with another rule, ends the journey.
    @discardableResult
    public func expectRefusal(_ step: String, rule: String, deadline: Duration? = nil, _ act: () async throws -> Void) async throws -> ServiceError {
        let limit = deadline ?? staff.timing.stepDeadline
        let ends = ContinuousClock.now.advanced(by: limit)
        var attempt = 0
        while true {
            do {
                try await act()
                throw JourneyError(journey: journey, step: step, reason: .notAsExpected("expected a refusal with rule \(rule), but the service accepted it"))
            } catch let error as ServiceError where error.isTransient {
                try await pause(&attempt, until: ends, step: step, limit: limit, last: error.description)
            } catch let error as ServiceError {
                guard error.rule == rule else {
                    throw JourneyError(journey: journey, step: step, reason: .notAsExpected("expected rule \(rule), got: \(error)"))
                }
                return error
            }
        }
    }

    /// Polls `check` until it answers a value: another service showing an event's effect.
    /// Transient failures count as "not yet"; other refusals end the journey.
    public func waitFor<T>(_ what: String, deadline: Duration? = nil, _ check: () async throws -> T?) async throws -> T {
        try await poll("waiting for \(what)", deadline: deadline, timedOut: nil) {
            try await check().map(Look.done) ?? .notYet(nil)
        }
    }

    /// A check of the case's state: `mismatch` answers `nil` when it holds, or what differs.
    /// Polled until it holds (events take a moment to arrive), then recorded as verified.
    public func verify(_ what: String, deadline: Duration? = nil, _ mismatch: () async throws -> String?) async throws {
        try await poll("checking \(what)", deadline: deadline, timedOut: { .notAsExpected($0 ?? "did not hold") }) {
            try await mismatch().map(Look.notYet) ?? .done(())
        }
        verified.append(what)
    }

    /// One look of ``poll(_:deadline:timedOut:_:)``: done with a value, or not yet and why.
    private enum Look<T> {
        case done(T)
        case notYet(String?)
    }

    /// Looks until `look` is done, pausing longer each time; a transient failure is a "not
    /// yet", another refusal ends the journey. Past the deadline, `timedOut` names what was
    /// last seen (nil: "gave up").
    private func poll<T>(_ step: String, deadline: Duration?, timedOut: ((String?) -> JourneyError.Reason)?,
                         _ look: () async throws -> Look<T>) async throws -> T {
        let limit = deadline ?? staff.timing.waitDeadline
        let ends = ContinuousClock.now.advanced(by: limit)
        var attempt = 0
        var last: String?
        while true {
            do {
                switch try await look() {
                case .done(let value): return value
                case .notYet(let why): last = why
                }
            } catch let error as ServiceError where error.isTransient {
                last = error.description
            } catch let error as ServiceError {
                throw JourneyError(journey: journey, step: step, reason: .refused(error))
            }
            if let timedOut, ContinuousClock.now >= ends {
                throw JourneyError(journey: journey, step: step, reason: timedOut(last))
            }
            try await pause(&attempt, until: ends, step: step, limit: limit, last: last, polling: true)
        }
    }

    /// A check that something does NOT happen: `present` answers what it found, or `nil`.
    /// Looked at repeatedly for `window`; anything found ends the journey.
    public func verifyAbsence(_ what: String, window: Duration? = nil, _ present: () async throws -> String?) async throws {
        let ends = ContinuousClock.now.advanced(by: window ?? staff.timing.absenceWindow)
        var attempt = 0
        var looked = 0
        while true {
            do {
                if let found = try await present() {
                    throw JourneyError(journey: journey, step: "checking \(what)", reason: .notAsExpected(found))
                }
                looked += 1
            } catch let error as ServiceError where error.isTransient {
                // Not a look; try again.
            } catch let error as ServiceError {
                throw JourneyError(journey: journey, step: "checking \(what)", reason: .refused(error))
            }
            if ContinuousClock.now >= ends, looked > 0 {
                verified.append(what)
                return
            }
            attempt += 1
            try await Task.sleep(for: Self.jittered(staff.timing.pollFloor * 3))
        }
    }

    /// Records a check made by the journey itself (on an answer it already holds).
    public func check(_ what: String, _ mismatch: String?) throws {
        if let mismatch { throw JourneyError(journey: journey, step: "checking \(what)", reason: .notAsExpected(mismatch)) }
        verified.append(what)
    }

    // MARK: Pacing

    private func pause(_ attempt: inout Int, until ends: ContinuousClock.Instant, step: String, limit: Duration, last: String?,
                       polling: Bool = false) async throws {
        guard ContinuousClock.now < ends else {
            throw JourneyError(journey: journey, step: step, reason: .gaveUp(after: limit, last: last))
        }
        let timing = staff.timing
        let first = polling ? timing.pollFloor : timing.retryPause
        let ceiling = polling ? timing.pollCeiling : max(timing.pollCeiling * 2, timing.retryPause)
        var wait = first
        for _ in 0..<min(attempt, 20) { wait = min(ceiling, wait * 1.5) }
        attempt += 1
        let remaining = ends - ContinuousClock.now
        try await Task.sleep(for: min(Self.jittered(wait), max(remaining, .milliseconds(1))))
    }

    /// `duration` ±20 %, so hundreds of journeys do not poll in step.
    static func jittered(_ duration: Duration) -> Duration {
        duration * Double.random(in: 0.8...1.2)
    }
}
