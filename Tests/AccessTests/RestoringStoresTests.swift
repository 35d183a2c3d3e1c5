import Foundation
import HomewardAccess
import HomewardModel
import HomewardRuntime
import HomewardStore
import Hummingbird
import HummingbirdTesting
import Kafka
import Testing
import TestSupport
@testable import Intake

/// While a partition store is restored from its changelog, nobody gets an answer from it:
/// a request for one of its cases, or a list that reads every partition, gets 503 with
/// `Retry-After`; a case of another partition, health and metrics are answered.
@Suite("Stores being restored")
struct RestoringStoresTests {
    @Test func aCaseOfAStoreBeingRestoredGets503WithRetryAfterAndOthersAreAnswered() async throws {
        let directory = try makeWorkDirectory("restoring")
        let config = try await ServiceConfiguration.load(for: .intake, environment: TestAccess.environment.merging([
            "DATA_DIRECTORY": directory.path, "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1",
        ]) { $1 })
        let service = try IntakeService(config: config)
        let stores = try PartitionStores(directory: config.storeDirectory, partitionCount: 4, cipher: nil, legacyStore: nil,
                                         changelogTopic: ServiceName.intake.changelogTopic,
                                         partitionedTables: service.partitionedTables, migrations: service.migrate)
        let keys = try await AccessKeys(jwks: nil, developmentKey: config.accessDevelopmentKey)
        let health = HealthController(store: stores.service, kafka: config.kafka, registry: .init())
        let router = try ServiceRunner.makeRouter(service: service, stores: stores, keys: keys, health: health)
        let restoring = CaseID("CASE-RESTORING"), other = (1...100).map { CaseID("CASE-\($0)") }.first { stores.partition(of: $0) != stores.partition(of: restoring) }!
        try stores.setRestoring(stores.partition(of: restoring), true)
        let token = try await TestAccess.token(Role.allCases)

        try await Application(router: router).test(.router) { client in
            let refused = try await client.execute(uri: "/cases/\(restoring)", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(refused.status == .serviceUnavailable)
            #expect(refused.headers[.retryAfter] == "2")
            #expect(String(buffer: refused.body).contains("store-restoring"), "\(String(buffer: refused.body))")
            let list = try await client.execute(uri: "/cases", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(list.status == .serviceUnavailable, "a list reads every partition")
            let answered = try await client.execute(uri: "/cases/\(other)", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(answered.status != .serviceUnavailable, "another partition's case: \(answered.status)")
            #expect(try await client.execute(uri: "/health/live", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/metrics", method: .get).status == .ok)

            try stores.setRestoring(stores.partition(of: restoring), false)
            let after = try await client.execute(uri: "/cases/\(restoring)", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(after.status != .serviceUnavailable, "restored: \(after.status)")
        }
    }
}
