import Foundation
import HomewardJourneys
import Synchronization

/// Runs many journeys against one stack: at most `concurrency` at once, started at a
/// fixed rate or as fast as that allows, each outcome kept.
struct JourneyRunner: Sendable {
    struct Outcome: Sendable {
        let index: Int
        let title: String
        let result: Result<JourneyResult, any Error>
        let elapsed: Duration
    }

    let staff: Staff
    let concurrency: Int
    /// Journeys started per second; nil starts each as soon as a slot is free.
    let rate: Double?

    func run(_ journeys: [Journey], onOutcome: @escaping @Sendable (Outcome) -> Void = { _ in }) async -> [Outcome] {
        let start = ContinuousClock.now
        return await withTaskGroup(of: Outcome.self) { group in
            var outcomes: [Outcome] = []
            for (index, journey) in journeys.enumerated() {
                if index >= concurrency, let outcome = await group.next() {
                    outcomes.append(outcome)
                    onOutcome(outcome)
                }
                if let rate {
                    let due = start.advanced(by: .seconds(Double(index) / rate))
                    if due > .now { try? await Task.sleep(until: due) }
                }
                let staff = self.staff
                group.addTask {
                    let began = ContinuousClock.now
                    let result: Result<JourneyResult, any Error>
                    do { result = .success(try await journey.run(staff, progress: { _ in })) } catch { result = .failure(error) }
                    return Outcome(index: index, title: journey.title, result: result, elapsed: ContinuousClock.now - began)
                }
            }
            for await outcome in group {
                outcomes.append(outcome)
                onOutcome(outcome)
            }
            return outcomes.sorted { $0.index < $1.index }
        }
    }
}

/// HTTP latency per endpoint, the ids in paths folded into `{id}`.
final class EndpointLatencies: Sendable {
    private let samples = Mutex<[String: [Double]]>([:])

    func record(service: String, method: String, path: String, seconds: Double) {
        let template = path.split(separator: "?").first.map(String.init)?.split(separator: "/").map { segment in
            segment.contains(where: \.isNumber) || segment.hasPrefix("HW-") ? "{id}" : String(segment)
        }.joined(separator: "/") ?? path
        samples.withLock { $0["\(service) \(method) /\(template)", default: []].append(seconds) }
    }

    func reset() { samples.withLock { $0 = [:] } }

    var byEndpoint: [String: [Double]] { samples.withLock { $0.mapValues { $0.sorted() } } }
}

func milliseconds(_ seconds: Double) -> String { seconds.isNaN ? "-" : String(format: "%.1f ms", seconds * 1000) }
func seconds(_ duration: Duration) -> Double { Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18 }
