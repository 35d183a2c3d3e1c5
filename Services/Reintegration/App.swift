import HomewardModel
import HomewardRuntime

/// The reintegration service process: configuration from the environment, then the runtime.
@main
struct App {
    static func main() async {
        await ServiceRunner.run(.reintegration) { config in try ReintegrationService(config: config) }
    }
}
