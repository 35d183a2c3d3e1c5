/// A scripted case, driven as staff would over the four services' HTTP APIs, that checks
/// at the end the case's state in every service's view and in intake's timeline.
///
/// Instances take a seed: instances with different seeds register different people, so
/// many can run at once on one stack.
public protocol Journey: Sendable {
    /// What the journey shows, in a line.
    var title: String { get }
    /// Runs the journey; `progress` receives one line per step done. Throws a
    /// ``JourneyError`` naming the journey and the step that failed.
    func run(_ staff: Staff, progress: @Sendable (String) -> Void) async throws -> JourneyResult
}
