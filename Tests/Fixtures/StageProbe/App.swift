import Foundation
import HomewardRuntime
import StageProbeKit

/// `stage-probe`: the probe stage as a process. `PROBE_ROLE` is `first` or `second`.
@main
struct App {
    static func main() async {
        let role = ProbeStage.Role(rawValue: ProcessInfo.processInfo.environment["PROBE_ROLE"] ?? "first") ?? .first
        let acceptRejects = ProcessInfo.processInfo.environment["PROBE_ACCEPT_REJECTS"] == "1"
        await ServiceRunner.run(role.service) { _ in ProbeStage(role: role, acceptRejects: acceptRejects) }
    }
}
