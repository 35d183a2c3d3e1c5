import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore
@testable import HealthScreening
import TestSupport

enum HealthFixtures {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let rules = try! ScreeningRules.load(file: repository.appendingPathComponent("Services/HealthScreening/Rules/screening-rules.json"))
    static let now = Instant.parse("2026-06-15T12:00:00.000Z")!

    static func makeStore() throws -> Store {
        try Store(path: try makeWorkDirectory("health").appendingPathComponent("health.sqlite").path, migrations: HealthSchema.register)
    }

    /// A family: a 40-year-old, a 15-year-old, an 11-year-old, a 5-year-old and a 4-year-old.
    static let family = ReadyForScreening(travellers: [
        .init(travellerID: "C1-T1", ageYears: 40, sex: .female), .init(travellerID: "C1-T2", ageYears: 15, sex: .male),
        .init(travellerID: "C1-T3", ageYears: 11, sex: .female), .init(travellerID: "C1-T4", ageYears: 5, sex: .male),
        .init(travellerID: "C1-T5", ageYears: 4, sex: .female),
    ])

    static let fullResults = ["chest-x-ray": "MARK-XRAY opacity right upper lobe", "urinalysis": "MARK-URINE protein ++",
                              "hiv": "MARK-HIV reactive", "syphilis": "MARK-SYPH non-reactive"]
}
