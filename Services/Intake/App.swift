import HomewardModel
import HomewardRuntime

/// The intake service process: configuration from the environment, then the runtime.
@main
struct App {
    static func main() async {
        await ServiceRunner.run(.intake) { config in try IntakeService(config: config) }
    }
}
