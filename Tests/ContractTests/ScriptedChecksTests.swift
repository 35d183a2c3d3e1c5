import TestSupport
import Testing

/// Contracts the repository's scripts check: each service's OpenAPI document against the
/// routes its controllers register (`Tests/openapi_check.py`), and the fuzz harness, which
/// decodes every request and event type, against those types (a full fuzz build takes many
/// minutes, `make fuzz`; type-checking the harness against the suite's build, seconds).
@Suite("Scripted contract checks")
struct ScriptedChecksTests {
    @Test("each service's OpenAPI document is valid and documents exactly the registered routes",
          arguments: ["Intake", "HealthScreening", "TravelBooking", "Reintegration"])
    func documentMatchesTheRoutes(of service: String) throws {
        let (status, output) = try checkOpenAPIDocument(of: service)
        #expect(status == 0, "\(output)")
    }

    @Test("the fuzz harness type-checks against the services' current types")
    func fuzzHarnessTypeChecks() throws {
        let (status, output) = try runTool(["Tests/Fuzz/fuzz.sh", "--typecheck"])
        #expect(status == 0, "\(output)")
    }
}
