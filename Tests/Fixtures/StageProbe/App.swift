import Foundation
import HomewardRuntime
import StageProbeKit

/// `stage-probe`: the probe stage as a process. `PROBE_ROLE` is `first` or `second`.
@main
struct App {
    static func main() async {
        let role = ProbeStage.Role(rawValue: ProcessInfo.processInfo.environment["PROBE_ROLE"] ?? "first") ?? .first
        await ServiceRunner.run(role.service) { _ in ProbeStage(role: role) }
    }
}
