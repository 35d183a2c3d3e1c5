import Foundation
import HomewardClient

/// What every journey does around its own steps: measure the stack's clock, open a run,
/// and answer the result.
enum Script {
    static func run(_ title: String, seed: Int, staff: Staff, progress: @Sendable (String) -> Void,
                    _ body: (CaseWork) async throws -> Void) async throws -> JourneyResult {
        try await withoutActuallyEscaping(progress) { progress in
            let label = "\(title) [seed \(seed)]"
            let measured: Staff
            do {
                measured = try await staff.withStackClock()
            } catch let error as ServiceError {
                throw JourneyError(journey: label, step: "read the stack's clock", reason: .refused(error))
            }
            let work = CaseWork(JourneyRun(journey: label, staff: measured, progress: progress))
            try await body(work)
            return work.result()
        }
    }

    /// An idempotency key for one run of one journey instance.
    static func key(_ slug: String, seed: Int) -> String {
        "journey-\(slug)-\(seed)-\(UUID().uuidString.lowercased())"
    }
}
