/// A journey written as the steps of one case. Around them, ``run(_:progress:)`` measures
/// the stack's clock, opens the run and answers its result (``Script``).
public protocol ScriptedJourney: Journey {
    /// Picks the people (and, under the pilot, the referral day); distinct seeds, distinct people.
    var seed: Int { get }
    /// The journey's steps on its case, with the people its seed picks.
    func steps(_ work: CaseWork, _ run: JourneyRun, _ people: People) async throws
}

extension ScriptedJourney {
    /// Runs the journey; see ``Journey/run(_:progress:)``.
    public func run(_ staff: Staff, progress: @Sendable (String) -> Void) async throws -> JourneyResult {
        try await Script.run(title, seed: seed, staff: staff, progress: progress) { work in
            try await steps(work, work.run, People(seed: seed, today: work.staff.now))
        }
    }
}
