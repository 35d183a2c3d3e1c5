import HomewardModel
import HomewardRuntime

/// The travel booking service process: configuration from the environment, then the runtime.
@main
struct App {
    static func main() async {
        await ServiceRunner.run(.travelBooking) { config in try TravelBookingService(config: config) }
    }
}
