// swift-tools-version: 6.2
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

/// A service: the runtime's shape, its own folder, its API document as a resource. Its
/// request and response types (`API/`) are a library of their own, for the typed client.
func service(_ name: String, resources: [Resource] = [], extra: [Target.Dependency] = []) -> [Target] {
    [.target(name: "\(name)API", dependencies: ["HomewardModel"], path: "Services/\(name)/API", swiftSettings: strict),
     .executableTarget(
        name: name,
        dependencies: [
            .target(name: "\(name)API"), "HomewardRuntime", "HomewardModel", "HomewardStore", "HomewardAccess",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ] + extra,
        path: "Services/\(name)",
        exclude: ["API"],
        resources: resources + [.copy("openapi.yaml")],
        swiftSettings: strict
    )]
}

/// A service's tests: its workflow on a store, and the real executable over HTTP.
func serviceTests(_ service: String, extra: [Target.Dependency] = []) -> Target {
    .testTarget(
        name: "\(service)Tests",
        dependencies: [
            .target(name: service), .target(name: "\(service)API"), "HomewardRuntime", "HomewardModel", "HomewardStore", "Kafka", "TestSupport",
            .product(name: "GRDB", package: "GRDB.swift"),
        ] + extra,
        path: "Tests/\(service)Tests",
        swiftSettings: strict
    )
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
        .target(
            name: "Kafka",
            dependencies: [
                "CRdKafka",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Shared/Kafka",
            swiftSettings: strict
        ),
        .target(
            name: "HomewardModel",
            dependencies: [.product(name: "W3CTraceContext", package: "swift-w3c-trace-context")],
            path: "Shared/Model",
            exclude: ["Catalogue"],
            swiftSettings: strict
        ),
        .target(
            name: "HomewardAccess",
            dependencies: [.product(name: "JWTKit", package: "jwt-kit"), .product(name: "Crypto", package: "swift-crypto")],
            path: "Shared/Access",
            swiftSettings: strict
        ),
        .target(
            name: "HomewardAudit",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            path: "Shared/Audit",
            swiftSettings: strict
        ),
        .target(
            name: "HomewardStore",
            dependencies: [
                "HomewardModel", "HomewardAudit",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Shared/Store",
            swiftSettings: strict
        ),
        .target(
            name: "HomewardRuntime",
            dependencies: [.product(name: "GRDB", package: "GRDB.swift"), 
                "Kafka", "HomewardModel", "HomewardStore", "HomewardAccess", "HomewardAudit",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Shared/Runtime",
            swiftSettings: strict
        ),

    ]
    // MARK: Services
    + service("Intake", resources: [.copy("Programmes")], extra: [.product(name: "Crypto", package: "swift-crypto")])
    + service("HealthScreening", resources: [.copy("Rules/screening-rules.json")])
    + service("TravelBooking")
    + service("Reintegration", resources: [.copy("Survey/sustainability-survey.json")])
    + [
        .executableTarget(
            name: "EmbeddedBroker",
            dependencies: [.product(name: "Logging", package: "swift-log"), 
                "Kafka", "HomewardModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            path: "Services/EmbeddedBroker",
            swiftSettings: strict
        ),

        .target(
            name: "HomewardClient",
            dependencies: ["HomewardModel", "IntakeAPI", "HealthScreeningAPI", "TravelBookingAPI", "ReintegrationAPI"],
            path: "Services/HomewardCLI/Client",
            swiftSettings: strict
        ),
        .target(
            name: "HomewardJourneys",
            dependencies: ["HomewardClient", "HomewardModel", "IntakeAPI", "HealthScreeningAPI", "TravelBookingAPI", "ReintegrationAPI"],
            path: "Services/HomewardCLI/Journeys",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "HomewardCLI",
            dependencies: [
                "HomewardModel", "Kafka", "HomewardClient", "HomewardJourneys", "HomewardAccess", "HomewardAudit", "HomewardStore",
                "IntakeAPI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Services/HomewardCLI",
            exclude: ["Journeys", "Client"],
            swiftSettings: strict
        ),

        // MARK: Tests
        .target(
            name: "StageProbeKit",
            dependencies: [
                "HomewardRuntime", "HomewardModel", "HomewardStore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "Tests/Fixtures/StageProbeKit",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "StageProbe",
            dependencies: ["StageProbeKit", "HomewardRuntime"],
            path: "Tests/Fixtures/StageProbe",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "StageBenchmark",
            dependencies: [.product(name: "Logging", package: "swift-log"), 
                "StageProbeKit", "Kafka", "HomewardModel", "HomewardAccess",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Tests/Benchmarks/StageBenchmark",
            swiftSettings: strict
        ),
        .target(
            name: "EventExamples",
            dependencies: ["HomewardModel"],
            path: "Tests/EventExamples",
            swiftSettings: strict
        ),
        .target(
            name: "TestSupport",
            dependencies: [.product(name: "Logging", package: "swift-log"), 
                "Kafka", "HomewardModel", "HomewardStore", "HomewardRuntime", "StageProbeKit", "HomewardAccess", "HomewardAudit", "HomewardJourneys",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Tests/Support",
            swiftSettings: strict
        ),
        .testTarget(
            name: "ContractTests",
            dependencies: ["HomewardModel", "EventExamples"],
            path: "Tests/ContractTests",
            exclude: ["validate_events.py", "validate_asyncapi.py"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "DeployTests",
            dependencies: [.product(name: "GRDB", package: "GRDB.swift"), "HomewardModel", "HomewardJourneys", "TestSupport"],
            path: "Tests/DeployTests",
            exclude: ["validate_compose.py", "check_env_table.py", "compose_to_local.py", "compose-spec.json", "compose-spec.NOTICE"],
            swiftSettings: strict
        ),
        serviceTests("Intake", extra: ["EventExamples"]),
        serviceTests("HealthScreening"),
        serviceTests("TravelBooking"),
        serviceTests("Reintegration"),
        .testTarget(
            name: "AccessTests",
            dependencies: ["HomewardModel", .product(name: "Hummingbird", package: "hummingbird"), 
                "Intake", "HealthScreening", "TravelBooking", "Reintegration", "HomewardRuntime", "HomewardAccess", "HomewardAudit", "HomewardStore", "TestSupport", "Kafka",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "JWTKit", package: "jwt-kit"),
            ],
            path: "Tests/AccessTests",
            swiftSettings: strict
        ),
        .testTarget(
            name: "JourneyTests",
            dependencies: ["TestSupport", "HomewardModel", "HomewardJourneys", "Kafka", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Tests/JourneyTests",
            swiftSettings: strict
        ),
        .testTarget(
            name: "SharedTests",
            dependencies: ["CRdKafka", .product(name: "Logging", package: "swift-log"), 
                "Kafka", "HomewardModel", "HomewardStore", "HomewardRuntime", "StageProbeKit", "TestSupport", "EventExamples",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Tests/SharedTests",
            swiftSettings: strict
        ),
    ]
)
