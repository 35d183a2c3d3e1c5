import Foundation
import HealthScreeningAPI
import HomewardModel
import IntakeAPI
import TravelBookingAPI

/// Checks of the case's final state in each service's own view, each polled until it holds
/// (``JourneyRun/verify(_:deadline:_:)``), since the last events take a moment to arrive.
extension CaseWork {
    /// The first of `pairs` whose actual value differs from the expected one, described.
    static func firstDifference(_ pairs: [(String, String, String)]) -> String? {
        pairs.first { $0.1 != $0.2 }.map { "\($0.0) is \($0.1), expected \($0.2)" }
    }

    /// Intake's view: status, stage, and a timeline of exactly `timeline`'s steps in this
    /// order. Steps with the same instant (one transaction, or an event and the reaction
    /// that carries its time) may be listed in any order among themselves.
    func verifyIntake(status: String, stage: String, timeline expected: [String], also extra: ((CaseView) -> String?)? = nil) async throws {
        try await run.verify("intake: status \(status), stage \(stage)") {
            let view = try await intakeCase()
            return Self.firstDifference([("intake's status", view.status.rawValue, status), ("intake's stage", view.stage.rawValue, stage)])
                ?? extra?(view)
        }
        try await run.verify("intake's timeline: \(expected.count) steps in order") {
            Self.timelineMismatch(try await intakeCase(), expected: expected)
        }
    }

    static func timelineMismatch(_ view: CaseView, expected: [String]) -> String? {
        let entries = view.timeline.map { (at: $0.at, step: $0.step) }
        let actual = entries.map(\.step)
        guard actual.count == expected.count else {
            return "the timeline has \(actual.count) steps, expected \(expected.count): \(actual.joined(separator: ", "))"
        }
        var start = 0
        while start < entries.count {
            var end = start
            while end + 1 < entries.count, entries[end + 1].at == entries[start].at { end += 1 }
            if actual[start...end].sorted() != expected[start...end].sorted() {
                return "timeline steps \(start + 1)–\(end + 1) are \(actual[start...end].joined(separator: ", ")), expected "
                    + "\(expected[start...end].joined(separator: ", ")); whole timeline: \(actual.joined(separator: ", "))"
            }
            start = end + 1
        }
        return nil
    }

    /// Health's view of one traveller: its status, and its screenings as (kind, status).
    func verifyHealth(_ traveller: TravellerID, status: String, screenings: [(kind: ScreeningKind, status: String)], requiredTests: [String]? = nil,
                      preEmbarkation: [(booking: BookingID, status: String)]? = nil) async throws {
        let expected = screenings.map { "\($0.kind.rawValue) \($0.status)" }.joined(separator: ", ")
        try await run.verify("health: \(traveller) \(status), screenings \(expected)") {
            guard let record = try await staff.health.travellerIfPresent(traveller) else { return "health does not know \(traveller) yet" }
            let actual = record.screenings.map { "\($0.kind.rawValue) \($0.status)" }.joined(separator: ", ")
            var pairs = [("\(traveller)'s health status", record.status, status), ("\(traveller)'s screenings", actual, expected)]
            if let requiredTests {
                pairs += record.screenings.map {
                    ("\(traveller)'s required tests", $0.requiredTests.joined(separator: ", "), requiredTests.joined(separator: ", "))
                }
            }
            if let preEmbarkation {
                let checks = record.preEmbarkationChecks.map { "\($0.bookingID) \($0.status)" }
                pairs.append(("\(traveller)'s pre-embarkation checks", checks.joined(separator: ", "),
                              preEmbarkation.map { "\($0.booking) \($0.status)" }.joined(separator: ", ")))
            }
            return Self.firstDifference(pairs)
        }
    }

    /// Travel's view: the case's status and readiness, and its bookings as (id, status, reason).
    func verifyTravel(status: String, bookable: Bool, bookings expected: [(id: BookingID, status: String, reason: String?)],
                      also extra: ((TravelCaseView) -> String?)? = nil) async throws {
        let described = expected.map { "\($0.id) \($0.status)" + ($0.reason.map { " (\($0))" } ?? "") }.joined(separator: ", ")
        try await run.verify("travel: case \(status), \(bookable ? "bookable" : "not bookable"), bookings [\(described)]") {
            guard let view = try await staff.travel.caseIfPresent(caseID) else { return "travel does not know the case yet" }
            let actual = view.bookings.map { "\($0.bookingID) \($0.status)" + ($0.reason.map { " (\($0))" } ?? "") }.joined(separator: ", ")
            return Self.firstDifference([
                ("travel's case status", view.status, status),
                ("travel's bookable", "\(view.bookable)", "\(bookable)"),
                ("travel's bookings", actual, described),
            ]) ?? extra?(view)
        }
        // Intake links to the same bookings, with the statuses travel's events told it.
        let linked = expected.map { "\($0.id) \($0.status)" }.joined(separator: ", ")
        try await run.verify("intake links to the bookings [\(linked)]") {
            let links = try await intakeCase().links
            let actual = links.bookings.map { "\($0.bookingID) \($0.status)" }.joined(separator: ", ")
            let paths = links.bookings.map(\.link.path)
            return Self.firstDifference([
                ("intake's links to bookings", actual, linked),
                ("intake's booking paths", paths.joined(separator: ", "), expected.map { "/bookings/\($0.id)" }.joined(separator: ", ")),
                ("intake's link to travel's case", links.travelCase.path, "/cases/\(caseID)"),
            ])
        }
    }

    /// Reintegration never opened the case: it answers 404, or `pending` with no budget
    /// and no opening, for as long as ``Timing/absenceWindow``, once it no longer expects a
    /// booking (the withdrawal or the cancellation may still be on its way).
    func verifyNoReintegration() async throws {
        try await run.verify("reintegration: no arrival expected") {
            guard let view = try await staff.reintegration.caseIfPresent(caseID), view.status == "expected" else { return nil }
            return "reintegration still expects \(view.expectedArrival?.bookingID.rawValue ?? "a booking")"
        }
        try await run.verifyAbsence("reintegration: no open case (404 or pending, never opened)") {
            guard let view = try await staff.reintegration.caseIfPresent(caseID) else { return nil }
            if view.status == "pending", view.openedAt == nil { return nil }
            return "reintegration shows the case \(view.status) (opened \(view.openedAt.map(Instant.format) ?? "never"))"
        }
    }

    /// Money for people: `EUR 1,500.00`.
    static func display(_ value: Money?) -> String {
        let minor = value?.amountMinor ?? 0
        var whole = String(abs(minor) / 100), grouped = ""
        while whole.count > 3 { grouped = "," + whole.suffix(3) + grouped; whole = String(whole.dropLast(3)) }
        return "\(value?.currency ?? "") \(minor < 0 ? "-" : "")\(whole)\(grouped).\(String(format: "%02d", abs(minor) % 100))"
    }

    /// The money as intake's and reintegration's views write it.
    static func money(_ value: Money?) -> String {
        "\(value?.currency ?? "-") \(value.map { String($0.amountMinor) } ?? "-")"
    }
}
