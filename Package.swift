// swift-tools-version: 6.2
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

// The external products targets use, named once.
let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")
let crypto = Target.Dependency.product(name: "Crypto", package: "swift-crypto")
let grdb = Target.Dependency.product(name: "GRDB", package: "GRDB.swift")
let hummingbird = Target.Dependency.product(name: "Hummingbird", package: "hummingbird")
let jwt = Target.Dependency.product(name: "JWTKit", package: "jwt-kit")
let logging = Target.Dependency.product(name: "Logging", package: "swift-log")
let lifecycle = Target.Dependency.product(name: "ServiceLifecycle", package: "swift-service-lifecycle")

/// A library target with the strict settings every target has.
func library(_ name: String, at path: String, _ dependencies: [Target.Dependency], exclude: [String] = []) -> Target {
    .target(name: name, dependencies: dependencies, path: path, exclude: exclude, swiftSettings: strict)
}

/// An executable target, likewise.
func executable(_ name: String, at path: String, _ dependencies: [Target.Dependency], exclude: [String] = [],
                resources: [Resource]? = nil) -> Target {
    .executableTarget(name: name, dependencies: dependencies, path: path, exclude: exclude, resources: resources, swiftSettings: strict)
}

/// A test target, likewise.
func tests(_ name: String, _ dependencies: [Target.Dependency], exclude: [String] = []) -> Target {
    .testTarget(name: name, dependencies: dependencies, path: "Tests/\(name)", exclude: exclude, swiftSettings: strict)
}

/// A service: the runtime's shape, its own folder, its API document as a resource. Its
/// request and response types (`API/`) are a library of their own, for the typed client.
func service(_ name: String, resources: [Resource] = [], extra: [Target.Dependency] = []) -> [Target] {
    [library("\(name)API", at: "Services/\(name)/API", ["HomewardModel"]),
     executable(name, at: "Services/\(name)", [
        .target(name: "\(name)API"), "HomewardRuntime", "HomewardModel", "HomewardStore", "HomewardAccess", grdb, hummingbird, logging, lifecycle,
     ] + extra, exclude: ["API"], resources: resources + [.copy("openapi.yaml")])]
}

/// A service's tests: its workflow on a store, and the real executable over HTTP.
func serviceTests(_ service: String, extra: [Target.Dependency] = []) -> Target {
    tests("\(service)Tests", [
        .target(name: service), .target(name: "\(service)API"), "HomewardRuntime", "HomewardModel", "HomewardStore", "Kafka", "TestSupport", grdb,
    ] + extra)
}

let package = Package(
    name: "Homeward",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "intake", targets: ["Intake"]),
        .executable(name: "health-screening", targets: ["HealthScreening"]),
        .executable(name: "travel-booking", targets: ["TravelBooking"]),
        .executable(name: "reintegration", targets: ["Reintegration"]),
        .executable(name: "homeward-broker", targets: ["EmbeddedBroker"]),
        .executable(name: "homeward", targets: ["HomewardCLI"]),
        .executable(name: "stage-probe", targets: ["StageProbe"]),
        .executable(name: "homeward-bench", targets: ["StageBenchmark"]),
        // Preloaded into the services a benchmark runs under valgrind (`--callgrind`).
        .library(name: "callgrind-preload", type: .dynamic, targets: ["CallgrindPreload"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-otel/swift-w3c-trace-context", from: "1.0.0"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-crypto", "4.0.0"..<"5.0.0"),
    ],
    targets: [
        // MARK: Shared
        .systemLibrary(
            name: "CRdKafka",
            path: "Shared/CRdKafka",
            pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"])]
        ),
        library("Kafka", at: "Shared/Kafka", ["CRdKafka", logging]),
        library("HomewardModel", at: "Shared/Model", [.product(name: "W3CTraceContext", package: "swift-w3c-trace-context")], exclude: ["Catalogue"]),
        library("HomewardAccess", at: "Shared/Access", [jwt, crypto]),
        library("HomewardAudit", at: "Shared/Audit", [crypto]),
        library("HomewardStore", at: "Shared/Store", ["HomewardModel", "HomewardAudit", grdb, crypto]),
        library("HomewardRuntime", at: "Shared/Runtime", [
            "Kafka", "HomewardModel", "HomewardStore", "HomewardAccess", "HomewardAudit", grdb, jwt, hummingbird, logging, lifecycle,
            .product(name: "Configuration", package: "swift-configuration"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOFoundationCompat", package: "swift-nio"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "Tracing", package: "swift-distributed-tracing"),
        ]),
    ]
    // MARK: Services
    + service("Intake", resources: [.copy("Programmes"), .copy("Reports/5w-canada-gta-pilot.json")], extra: [crypto])
    + service("HealthScreening", resources: [.copy("Rules/screening-rules.json")])
    + service("TravelBooking")
    + service("Reintegration", resources: [.copy("Survey/sustainability-survey.json"), .copy("Referrals/partners.json")], extra: ["Kafka"])
    + [
        executable("EmbeddedBroker", at: "Services/EmbeddedBroker", [
            "Kafka", "HomewardModel", logging, argumentParser, .product(name: "UnixSignals", package: "swift-service-lifecycle"),
        ]),
        library("HomewardClient", at: "Services/HomewardCLI/Client",
                ["HomewardModel", "IntakeAPI", "HealthScreeningAPI", "TravelBookingAPI", "ReintegrationAPI"]),
        library("HomewardJourneys", at: "Services/HomewardCLI/Journeys",
                ["HomewardClient", "HomewardModel", "IntakeAPI", "HealthScreeningAPI", "TravelBookingAPI", "ReintegrationAPI"]),
        executable("HomewardCLI", at: "Services/HomewardCLI", [
            "HomewardModel", "Kafka", "HomewardClient", "HomewardJourneys", "HomewardAccess", "HomewardAudit", "HomewardStore", "IntakeAPI", "ReintegrationAPI",
            argumentParser, grdb, logging,
        ], exclude: ["Journeys", "Client"]),

        // MARK: Tests
        library("StageProbeKit", at: "Tests/Fixtures/StageProbeKit", ["HomewardRuntime", "HomewardModel", "HomewardStore", grdb, hummingbird]),
        executable("StageProbe", at: "Tests/Fixtures/StageProbe", ["StageProbeKit", "HomewardRuntime"]),
        executable("StageBenchmark", at: "Tests/Benchmarks/StageBenchmark",
                   ["StageProbeKit", "Kafka", "HomewardModel", "HomewardAccess", "HomewardJourneys", logging, argumentParser]),
        .target(name: "CallgrindPreload", path: "Tests/Benchmarks/CallgrindPreload"),
        library("EventExamples", at: "Tests/EventExamples", ["HomewardModel"]),
        library("TestSupport", at: "Tests/Support", [
            "Kafka", "HomewardModel", "HomewardStore", "HomewardRuntime", "StageProbeKit", "HomewardAccess", "HomewardAudit", "HomewardJourneys",
            grdb, logging, crypto,
        ]),
        tests("ContractTests", ["HomewardModel", "EventExamples", "TestSupport"], exclude: ["validate_events.py", "validate_asyncapi.py"]),
        tests("DeployTests", ["HomewardModel", "HomewardJourneys", "TestSupport", grdb],
              exclude: ["validate_compose.py", "check_env_table.py", "compose_to_local.py", "compose-spec.json", "compose-spec.NOTICE"]),
        serviceTests("Intake", extra: ["EventExamples"]),
        serviceTests("HealthScreening"),
        serviceTests("TravelBooking"),
        serviceTests("Reintegration"),
        tests("AccessTests", [
            "Intake", "HealthScreening", "TravelBooking", "Reintegration",
            "HomewardModel", "HomewardRuntime", "HomewardAccess", "HomewardAudit", "HomewardStore", "TestSupport", "Kafka",
            hummingbird, .product(name: "HummingbirdTesting", package: "hummingbird"), grdb, jwt, crypto,
        ]),
        // The services' schemas, for what their stores seal (the subject export holds every sealed column).
        tests("JourneyTests", ["TestSupport", "HomewardModel", "HomewardJourneys", "HomewardStore", "Kafka", grdb,
                               "Intake", "HealthScreening", "TravelBooking", "Reintegration"]),
        tests("SharedTests", [
            "CRdKafka", "Kafka", "HomewardModel", "HomewardStore", "HomewardRuntime", "StageProbeKit", "TestSupport", "EventExamples", grdb, logging,
        ]),
    ]
)
