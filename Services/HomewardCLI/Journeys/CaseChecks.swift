import Foundation

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
    func verifyIntake(status: String, stage: String, timeline expected: [String], also extra: ((JSON) -> String?)? = nil) async throws {
        try await run.verify("intake: status \(status), stage \(stage)") {
            let view = try await intakeCase()
            return Self.firstDifference([("intake's status", view["status"].string ?? "-", status), ("intake's stage", view["stage"].string ?? "-", stage)])
                ?? extra?(view)
        }
        try await run.verify("intake's timeline: \(expected.count) steps in order") {
            Self.timelineMismatch(try await intakeCase(), expected: expected)
        }
    }

    static func timelineMismatch(_ view: JSON, expected: [String]) -> String? {
        let entries = view["timeline"].array.map { (at: $0["at"].string ?? "", step: $0["step"].string ?? "") }
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
    func verifyHealth(_ traveller: String, status: String, screenings: [(kind: String, status: String)], requiredTests: [String]? = nil,
                      preEmbarkation: [(booking: String, status: String)]? = nil) async throws {
        let expected = screenings.map { "\($0.kind) \($0.status)" }.joined(separator: ", ")
        try await run.verify("health: \(traveller) \(status), screenings \(expected)") {
            guard let record = try await staff.health.getIfPresent("travellers/\(traveller)") else { return "health does not know \(traveller) yet" }
            let actual = record["screenings"].array.map { "\($0["kind"].string ?? "-") \($0["status"].string ?? "-")" }.joined(separator: ", ")
            var pairs = [("\(traveller)'s health status", record["status"].string ?? "-", status), ("\(traveller)'s screenings", actual, expected)]
            if let requiredTests {
                pairs += record["screenings"].array.map {
                    ("\(traveller)'s required tests", $0["requiredTests"].strings.joined(separator: ", "), requiredTests.joined(separator: ", "))
                }
            }
            if let preEmbarkation {
                let checks = record["preEmbarkationChecks"].array.map { "\($0["bookingID"].string ?? "-") \($0["status"].string ?? "-")" }
                pairs.append(("\(traveller)'s pre-embarkation checks", checks.joined(separator: ", "),
                              preEmbarkation.map { "\($0.booking) \($0.status)" }.joined(separator: ", ")))
            }
            return Self.firstDifference(pairs)
        }
    }

    /// Travel's view: the case's status and readiness, and its bookings as (id, status, reason).
    func verifyTravel(status: String, bookable: Bool, bookings expected: [(id: String, status: String, reason: String?)],
                      also extra: ((JSON) -> String?)? = nil) async throws {
        let described = expected.map { "\($0.id) \($0.status)" + ($0.reason.map { " (\($0))" } ?? "") }.joined(separator: ", ")
        try await run.verify("travel: case \(status), \(bookable ? "bookable" : "not bookable"), bookings [\(described)]") {
            guard let view = try await staff.travel.getIfPresent("cases/\(caseID)") else { return "travel does not know the case yet" }
            let actual = view["bookings"].array.map {
                "\($0["bookingID"].string ?? "-") \($0["status"].string ?? "-")" + ($0["reason"].string.map { " (\($0))" } ?? "")
            }.joined(separator: ", ")
            return Self.firstDifference([
                ("travel's case status", view["status"].string ?? "-", status),
                ("travel's bookable", "\(view["bookable"].bool ?? !bookable)", "\(bookable)"),
                ("travel's bookings", actual, described),
            ]) ?? extra?(view)
        }
        // Intake links to the same bookings, with the statuses travel's events told it.
        let linked = expected.map { "\($0.id) \($0.status)" }.joined(separator: ", ")
        try await run.verify("intake links to the bookings [\(linked)]") {
            let links = try await intakeCase()["links"]
            let actual = links["bookings"].array.map { "\($0["bookingID"].string ?? "-") \($0["status"].string ?? "-")" }.joined(separator: ", ")
            let paths = links["bookings"].array.map { $0["link"]["path"].string ?? "-" }
            return Self.firstDifference([
                ("intake's links to bookings", actual, linked),
                ("intake's booking paths", paths.joined(separator: ", "), expected.map { "/bookings/\($0.id)" }.joined(separator: ", ")),
                ("intake's link to travel's case", links["travelCase"]["path"].string ?? "-", "/cases/\(caseID)"),
            ])
        }
    }

    /// Reintegration never opened the case: it answers 404, or `pending` with no budget
    /// and no opening, for as long as ``Timing/absenceWindow``.
    func verifyNoReintegration() async throws {
        try await run.verifyAbsence("reintegration: no open case (404 or pending, never opened)") {
            guard let view = try await staff.reintegration.getIfPresent("cases/\(caseID)") else { return nil }
            if view["status"].string == "pending", view["openedAt"].isNull { return nil }
            return "reintegration shows the case \(view["status"].string ?? "-") (opened \(view["openedAt"].string ?? "never"))"
        }
    }

    /// Money for people: `EUR 1,500.00`.
    static func display(_ value: JSON) -> String {
        let minor = value["amountMinor"].int ?? 0
        var whole = String(abs(minor) / 100), grouped = ""
        while whole.count > 3 { grouped = "," + whole.suffix(3) + grouped; whole = String(whole.dropLast(3)) }
        return "\(value["currency"].string ?? "") \(minor < 0 ? "-" : "")\(whole)\(grouped).\(String(format: "%02d", abs(minor) % 100))"
    }

    /// The money as intake's and reintegration's views write it.
    static func money(_ value: JSON) -> String {
        "\(value["currency"].string ?? "-") \(value["amountMinor"].int.map(String.init) ?? "-")"
    }
}
