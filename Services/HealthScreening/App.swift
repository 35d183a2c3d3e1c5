import HomewardModel
import HomewardRuntime

/// The health screening service process: configuration from the environment, then the runtime.
@main
struct App {
    static func main() async {
        await ServiceRunner.run(.healthScreening) { config in try HealthScreeningService(config: config) }
    }
}
