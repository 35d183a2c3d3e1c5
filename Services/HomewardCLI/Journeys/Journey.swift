/// A scripted case, driven as staff would over the four services' HTTP APIs, that checks
/// at the end the case's state in every service's view and in intake's timeline.
///
/// Each journey is a value made by a factory (`Journey.singleAdult(seed:)` and the others in
/// `Journey+*.swift`): a title and the steps of one case. Around the steps, ``run(_:progress:)``
/// measures the stack's clock, opens the run and answers its result (``Script``). Journeys
/// with different seeds register different people, so many can run at once on one stack.
public struct Journey: Sendable {
    /// What the journey shows, in a line.
    public let title: String
    /// Picks the people (and, under the pilot, the referral day); distinct seeds, distinct people.
    public let seed: Int
    /// False for a journey that can run only near a given hour (``clearanceLapse(seed:maximumWaitForLapse:)``).
    public let atAnyHour: Bool
    /// The journey's steps on its case, with the people its seed picks.
    let steps: @Sendable (_ work: CaseWork, _ run: JourneyRun, _ people: People) async throws -> Void

    init(title: String, seed: Int, atAnyHour: Bool = true,
         steps: @escaping @Sendable (_ work: CaseWork, _ run: JourneyRun, _ people: People) async throws -> Void) {
        self.title = title
        self.seed = seed
        self.atAnyHour = atAnyHour
        self.steps = steps
    }

    /// Runs the journey; `progress` receives one line per step done. Throws a
    /// ``JourneyError`` naming the journey and the step that failed.
    public func run(_ staff: Staff, progress: @Sendable (String) -> Void) async throws -> JourneyResult {
        try await Script.run(title, seed: seed, staff: staff, progress: progress) { work in
            try await steps(work, work.run, People(seed: seed, today: work.staff.now))
        }
    }
}
