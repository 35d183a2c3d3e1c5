import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore
import HTTPTypes

/// What health screening does to its records, each inside one write transaction: state,
/// then outbox events. Events carry outcomes, travel requirements and validity windows;
/// never a result, note, condition or diagnosis.
struct HealthWorkflow: Sendable {
    let rules: ScreeningRules
    let clock: @Sendable () -> Date
    /// `required_tests` as stored, by age in years: every traveller opens a screening, and
    /// encoding the same few lists anew cost the stage 3 % of its CPU.
    private let requiredTestsJSON: [String?]

    init(rules: ScreeningRules, clock: @escaping @Sendable () -> Date) {
        self.rules = rules
        self.clock = clock
        requiredTestsJSON = (0...130).map { age in try? Self.json(rules.requiredTests(age: age)) }
    }

    private func requiredTestsText(age: Int) throws -> String {
        if requiredTestsJSON.indices.contains(age), let text = requiredTestsJSON[age] { return text }
        return try Self.json(rules.requiredTests(age: age))
    }

    // MARK: Reacting to intake and travel

    func apply(_ event: ReceivedEvent, in db: Database) throws {
        let now = event.time
        switch event.payload {
        case let ready as ReadyForScreening:
            // The stage's hot path (every case passes here): statements prepared once per connection.
            for traveller in ready.travellers {
                let known = try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM health_traveller WHERE traveller_id = ?"),
                                              arguments: [traveller.travellerID.rawValue]) ?? false
                if known { continue }
                try db.cachedStatement(sql: "INSERT INTO health_traveller (traveller_id, case_id, age_years, sex, status, updated_at) VALUES (?, ?, ?, ?, 'active', ?)")
                    .execute(arguments: [traveller.travellerID.rawValue, event.caseID.rawValue, traveller.ageYears, traveller.sex.rawValue, now.timeIntervalSince1970])
                try openScreening(traveller.travellerID, age: traveller.ageYears, kind: .initial, at: now, in: db)
                try Outbox.append(event.causing(ScreeningOpened(travellerID: traveller.travellerID, kind: .initial), time: now), in: db)
            }
        case is CaseWithdrawn, is EligibilityRevoked:
            try db.execute(sql: "UPDATE health_screening SET status = 'closed' WHERE status IN ('open', 'on-hold') AND traveller_id IN (SELECT traveller_id FROM health_traveller WHERE case_id = ?)",
                           arguments: [event.caseID.rawValue])
            try db.execute(sql: "UPDATE health_precheck SET status = 'closed' WHERE status = 'due' AND traveller_id IN (SELECT traveller_id FROM health_traveller WHERE case_id = ?)",
                           arguments: [event.caseID.rawValue])
            try db.execute(sql: "UPDATE health_traveller SET status = 'closed', updated_at = ? WHERE case_id = ?",
                           arguments: [now.timeIntervalSince1970, event.caseID.rawValue])
        case let booking as BookingConfirmed:
            let window = rules.preEmbarkationWindow(departure: booking.departureAt)
            for traveller in booking.travellerIDs {
                guard try travellerStatus(traveller, in: db) == "active" else { continue }
                try db.cachedStatement(sql: "UPDATE health_precheck SET status = 'closed' WHERE traveller_id = ? AND status = 'due'").execute(arguments: [traveller.rawValue])
                try db.cachedStatement(sql: """
                    INSERT INTO health_precheck (traveller_id, booking_id, departure_at, window_from, window_to, status) VALUES (?, ?, ?, ?, ?, 'due')
                    """).execute(arguments: [traveller.rawValue, booking.bookingID.rawValue, booking.departureAt.timeIntervalSince1970,
                                     window.lowerBound.timeIntervalSince1970, window.upperBound.timeIntervalSince1970])
                // A clearance that ends before this departure has lapsed for it: say so now.
                if let clearance = try latestClearance(traveller, in: db), clearance.validUntil < booking.departureAt, !clearance.announced {
                    try announceLapse(traveller, caseID: event.caseID, clearance: clearance, cause: event, at: now, in: db)
                }
            }
        case let departed as Departed:
            for traveller in departed.travellerIDs {
                try db.execute(sql: "UPDATE health_traveller SET status = 'departed', updated_at = ? WHERE traveller_id = ?",
                               arguments: [now.timeIntervalSince1970, traveller.rawValue])
                try db.cachedStatement(sql: "UPDATE health_precheck SET status = 'closed' WHERE traveller_id = ? AND status = 'due'").execute(arguments: [traveller.rawValue])
            }
        case let cancelled as BookingCancelled:
            try db.cachedStatement(sql: "UPDATE health_precheck SET status = 'closed' WHERE booking_id = ? AND status = 'due'").execute(arguments: [cancelled.bookingID.rawValue])
        case let hold as BookingOnHold where hold.reason == .clearanceLapsed:
            // Travel asks for a re-screen: open one for each lapsed traveller without one.
            for traveller in hold.travellerIDs where try travellerStatus(traveller, in: db) == "active" {
                let open = try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM health_screening WHERE traveller_id = ? AND status IN ('open', 'on-hold')"),
                                             arguments: [traveller.rawValue]) ?? false
                guard !open else { continue }
                let age = try Int.fetchOne(db.cachedStatement(sql: "SELECT age_years FROM health_traveller WHERE traveller_id = ?"), arguments: [traveller.rawValue]) ?? 0
                try openScreening(traveller, age: age, kind: .rescreen, at: now, in: db)
                try Outbox.append(event.causing(ScreeningOpened(travellerID: traveller, kind: .rescreen), time: now), in: db)
            }
        case is BookingOnHold:
            break
        case is PersonalDataErased:
            try Self.erase(event.caseID, at: now, in: db)
            try IdempotentAnswer.forget(caseID: event.caseID.rawValue, in: db)
        default:
            throw EventRejected("health screening has no reaction to \(event.type)")
        }
    }

    static let handledEvents: [any EventPayload.Type] = ServiceName.healthScreening.consumes

    /// Erases the case's medical detail: every exam (date, results, notes, conditions) and
    /// the travel requirements of outcomes and checks. Kept: age, sex, the screenings
    /// (kind, required tests, status), outcomes with their dates, and the checks' windows.
    /// Open work closes; the travellers are `erased`.
    static func erase(_ caseID: CaseID, at now: Date, in db: Database) throws {
        let travellers = "SELECT traveller_id FROM health_traveller WHERE case_id = ?"
        try db.execute(sql: "DELETE FROM health_exam WHERE screening_id IN (SELECT id FROM health_screening WHERE traveller_id IN (\(travellers)))",
                       arguments: [caseID.rawValue])
        try db.execute(sql: "UPDATE health_outcome SET requirements = '' WHERE traveller_id IN (\(travellers))", arguments: [caseID.rawValue])
        try db.execute(sql: "UPDATE health_precheck SET requirements = CASE WHEN requirements IS NULL THEN NULL ELSE '' END, status = CASE status WHEN 'due' THEN 'closed' ELSE status END WHERE traveller_id IN (\(travellers))",
                       arguments: [caseID.rawValue])
        try db.execute(sql: "UPDATE health_screening SET status = 'closed' WHERE status IN ('open', 'on-hold') AND traveller_id IN (\(travellers))",
                       arguments: [caseID.rawValue])
        try db.cachedStatement(sql: "UPDATE health_traveller SET status = 'erased', updated_at = ? WHERE case_id = ?").execute(arguments: [now.timeIntervalSince1970, caseID.rawValue])
    }

    // MARK: Health officers' actions

    func recordExam(_ traveller: TravellerID, _ input: ExamInput, in db: Database) throws {
        let now = clock()
        try required(input.recordedBy, "/recordedBy")
        let screening = try openScreening(of: traveller, in: db)
        guard input.examinedOn <= LocalDate.containing(now, in: .gmt) else {
            throw problem(.unprocessableContent, "exam-in-future", "/examinedOn", "the exam date is in the future")
        }
        for test in input.results.keys.sorted() where !screening.requiredTests.contains(test) {
            throw problem(.unprocessableContent, "test-not-required", "/results/\(pointerEscaped(test))",
                          "this test is not required for this traveller (required: \(screening.requiredTests.joined(separator: ", ")))")
        }
        for (test, result) in input.results.sorted(by: { $0.key < $1.key }) where result.isBlank {
            throw problem(.unprocessableContent, "required", "/results/\(pointerEscaped(test))", "a result is required")
        }
        try db.cachedStatement(sql: """
            INSERT INTO health_exam (screening_id, examined_on, results, notes, conditions, recorded_by, recorded_at)
            VALUES (?, hw_seal(?, 'health_exam.examined_on'), hw_seal(?, 'health_exam.results'), hw_seal(?, 'health_exam.notes'),
                    hw_seal(?, 'health_exam.conditions'), ?, ?)
            """).execute(arguments: [screening.id, input.examinedOn.description, try Self.json(input.results), input.notes,
                             try Self.json(input.conditions ?? []), input.recordedBy, now.timeIntervalSince1970])
    }

    func recordFitness(_ traveller: TravellerID, _ input: FitnessInput, in db: Database) throws {
        let now = clock()
        try required(input.recordedBy, "/recordedBy")
        let screening = try openScreening(of: traveller, in: db)
        try checkRequirements(input, now: now)
        let caseID = try self.caseID(of: traveller, in: db)
        var validFrom: Date?
        var validUntil: Date?
        switch input.outcome {
        case .cleared, .clearedWithRequirements:
            if let hold = try activeHold(traveller, now: now, in: db) {
                throw problem(.conflict, "clearance-contradicts-hold", "/outcome",
                              "the traveller is on hold until \(Instant.format(hold)); after it, record a new exam, then the clearance")
            }
            guard let exam = try latestExam(screening.id, in: db) else {
                throw problem(.unprocessableContent, "exam-required", "/outcome", "a clearance needs an exam first")
            }
            if let heldAt = try Double.fetchOne(db.cachedStatement(sql: "SELECT MAX(recorded_at) FROM health_outcome WHERE screening_id = ? AND outcome = 'on-hold'"),
                                                arguments: [screening.id]), exam.recordedAt.timeIntervalSince1970 <= heldAt {
                throw problem(.unprocessableContent, "exam-before-hold", "/outcome", "after a hold, a clearance needs an exam recorded since the hold")
            }
            let missing = screening.requiredTests.filter { exam.tests[$0] == nil }
            guard missing.isEmpty else {
                throw problem(.unprocessableContent, "required-test-missing", "/outcome", "required tests without a result: \(missing.joined(separator: ", "))")
            }
            guard rules.examIsCurrent(examinedOn: exam.examinedOn, at: now) else {
                throw problem(.unprocessableContent, "exam-too-old", "/outcome",
                              "the exam is older than the \(rules.clearanceValidityMonths)-month validity window; record a new exam")
            }
            validFrom = exam.examinedOn.start(in: .gmt)
            validUntil = rules.clearanceValidUntil(examinedOn: exam.examinedOn)
        case .onHold, .notCleared:
            break
        }
        let requirements = input.travelRequirements ?? []
        try db.cachedStatement(sql: """
            INSERT INTO health_outcome (screening_id, traveller_id, outcome, requirements, hold_until, valid_from, valid_until, recorded_by, recorded_at)
            VALUES (?, ?, ?, hw_seal(?, 'health_outcome.requirements'), ?, ?, ?, ?, ?)
            """).execute(arguments: [screening.id, traveller.rawValue, input.outcome.rawValue, try Self.json(requirements),
                             input.holdUntil?.timeIntervalSince1970, validFrom?.timeIntervalSince1970, validUntil?.timeIntervalSince1970,
                             input.recordedBy, now.timeIntervalSince1970])
        try db.execute(sql: "UPDATE health_screening SET status = ? WHERE id = ?",
                       arguments: [input.outcome == .onHold ? "on-hold" : input.outcome.rawValue, screening.id])
        var events = ActionEvents(caseID: caseID, db: db, now: now)
        switch input.outcome {
        case .cleared, .clearedWithRequirements:
            try events.publish(ClearanceIssued(
                travellerID: traveller, outcome: input.outcome == .cleared ? .cleared : .clearedWithRequirements,
                travelRequirements: requirements, validFrom: validFrom!, validUntil: validUntil!))
        case .onHold:
            try events.publish(HoldPlaced(travellerID: traveller, holdUntil: input.holdUntil!))
        case .notCleared:
            try events.publish(ClearanceRefused(travellerID: traveller))
        }
    }

    /// A new screening for a traveller (after a lapse, a hold or a refusal); the open one,
    /// if any, is superseded.
    func rescreen(_ traveller: TravellerID, _ input: RescreenInput, in db: Database) throws {
        let now = clock()
        try required(input.recordedBy, "/recordedBy")
        guard try travellerStatus(traveller, in: db) == "active" else { throw try unknownOrClosed(traveller, in: db) }
        let age = try Int.fetchOne(db.cachedStatement(sql: "SELECT age_years FROM health_traveller WHERE traveller_id = ?"), arguments: [traveller.rawValue]) ?? 0
        try db.execute(sql: "UPDATE health_screening SET status = 'superseded' WHERE traveller_id = ? AND status IN ('open', 'on-hold')",
                       arguments: [traveller.rawValue])
        try openScreening(traveller, age: age, kind: .rescreen, at: now, in: db)
        var events = ActionEvents(caseID: try caseID(of: traveller, in: db), db: db, now: now)
        try events.publish(ScreeningOpened(travellerID: traveller, kind: .rescreen))
    }

    func recordPreEmbarkation(_ traveller: TravellerID, _ input: FitnessInput, in db: Database) throws {
        let now = clock()
        try required(input.recordedBy, "/recordedBy")
        guard try travellerStatus(traveller, in: db) == "active" else { throw try unknownOrClosed(traveller, in: db) }
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT id, booking_id, window_from, window_to FROM health_precheck WHERE traveller_id = ? AND status = 'due' ORDER BY id DESC LIMIT 1
            """), arguments: [traveller.rawValue]) else {
            throw problem(.conflict, "no-pre-embarkation-check-due", nil, "no confirmed booking asks for a pre-embarkation check")
        }
        let checkedAt = input.checkedAt ?? now
        guard checkedAt <= now else { throw problem(.unprocessableContent, "check-in-future", "/checkedAt", "the check time is in the future") }
        let from = Date(timeIntervalSince1970: row[2]), to = Date(timeIntervalSince1970: row[3])
        guard (from...to).contains(checkedAt) else {
            throw problem(.unprocessableContent, "outside-pre-embarkation-window", "/checkedAt",
                          "the check must take place between \(Instant.format(from)) and \(Instant.format(to))")
        }
        try checkRequirements(input, now: now)
        if input.outcome == .cleared || input.outcome == .clearedWithRequirements, let hold = try activeHold(traveller, now: now, in: db) {
            throw problem(.conflict, "clearance-contradicts-hold", "/outcome", "the traveller is on hold until \(Instant.format(hold))")
        }
        try db.execute(sql: "UPDATE health_precheck SET status = 'done', outcome = ?, requirements = hw_seal(?, 'health_precheck.requirements'), hold_until = ?, checked_at = ?, recorded_by = ? WHERE id = ?",
                       arguments: [input.outcome.rawValue, try Self.json(input.travelRequirements ?? []), input.holdUntil?.timeIntervalSince1970,
                                   checkedAt.timeIntervalSince1970, input.recordedBy, row[0] as Int64])
        // A hold or a refusal at the check is the traveller's fitness from now on.
        if input.outcome == .onHold || input.outcome == .notCleared,
           let screening = try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(id) FROM health_screening WHERE traveller_id = ?"), arguments: [traveller.rawValue]) {
            try db.cachedStatement(sql: """
                INSERT INTO health_outcome (screening_id, traveller_id, outcome, requirements, hold_until, recorded_by, recorded_at)
                VALUES (?, ?, ?, hw_seal('[]', 'health_outcome.requirements'), ?, ?, ?)
                """).execute(arguments: [screening, traveller.rawValue, input.outcome.rawValue, input.holdUntil?.timeIntervalSince1970, input.recordedBy, now.timeIntervalSince1970])
            try db.cachedStatement(sql: "UPDATE health_screening SET status = ? WHERE id = ?").execute(arguments: [input.outcome == .onHold ? "on-hold" : input.outcome.rawValue, screening])
        }
        var events = ActionEvents(caseID: try caseID(of: traveller, in: db), db: db, now: now)
        try events.publish(PreEmbarkationCheckDone(
            travellerID: traveller, bookingID: BookingID(row[1] as String), outcome: input.outcome,
            travelRequirements: input.travelRequirements ?? [], holdUntil: input.holdUntil))
    }

    // MARK: Lapses

    /// Announces clearances that ran out while their traveller has not departed, once each.
    /// Returns how many it announced.
    @discardableResult
    func announceLapses(in db: Database) throws -> Int {
        let now = clock()
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT o.id, o.traveller_id, t.case_id, o.valid_until FROM health_outcome o JOIN health_traveller t ON t.traveller_id = o.traveller_id
            WHERE o.lapse_announced = 0 AND o.valid_until IS NOT NULL AND o.valid_until < ? AND t.status = 'active'
              AND o.id = (SELECT MAX(id) FROM health_outcome WHERE traveller_id = o.traveller_id)
            """), arguments: [now.timeIntervalSince1970])
        for row in rows {
            let clearance = Clearance(outcomeID: row[0], validUntil: Date(timeIntervalSince1970: row[3]), announced: false)
            try announceLapse(TravellerID(row[1] as String), caseID: CaseID(row[2] as String), clearance: clearance, cause: nil, at: now, in: db)
        }
        return rows.count
    }

    private func announceLapse(_ traveller: TravellerID, caseID: CaseID, clearance: Clearance, cause: ReceivedEvent?, at now: Date, in db: Database) throws {
        try db.cachedStatement(sql: "UPDATE health_outcome SET lapse_announced = 1 WHERE id = ?").execute(arguments: [clearance.outcomeID])
        let lapsed = ClearanceLapsed(travellerID: traveller, validUntil: clearance.validUntil)
        if let cause {
            try Outbox.append(cause.causing(lapsed, time: now), in: db)
        } else {
            var events = ActionEvents(caseID: caseID, db: db, now: now)
            try events.publish(lapsed)
        }
    }

    // MARK: Helpers

    struct Screening {
        var id: Int64
        var requiredTests: [String]
    }

    struct Exam {
        var examinedOn: LocalDate
        var tests: [String: String]
        var recordedAt: Date
    }

    struct Clearance {
        var outcomeID: Int64
        var validUntil: Date
        var announced: Bool
    }

    private func openScreening(_ traveller: TravellerID, age: Int, kind: ScreeningKind, at now: Date, in db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO health_screening (traveller_id, kind, required_tests, status, opened_at) VALUES (?, ?, ?, 'open', ?)")
            .execute(arguments: [traveller.rawValue, kind.rawValue, try requiredTestsText(age: age), now.timeIntervalSince1970])
    }

    private func openScreening(of traveller: TravellerID, in db: Database) throws -> Screening {
        guard try travellerStatus(traveller, in: db) == "active" else { throw try unknownOrClosed(traveller, in: db) }
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT id, required_tests FROM health_screening WHERE traveller_id = ? AND status IN ('open', 'on-hold') ORDER BY id DESC LIMIT 1"),
                                         arguments: [traveller.rawValue]) else {
            throw problem(.conflict, "no-open-screening", nil, "the traveller has no open screening; open a re-screen first")
        }
        return Screening(id: row[0], requiredTests: try Self.value([String].self, row[1]))
    }

    private func latestExam(_ screening: Int64, in db: Database) throws -> Exam? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT hw_open(examined_on, 'health_exam.examined_on'), hw_open(results, 'health_exam.results'), recorded_at FROM health_exam WHERE screening_id = ? ORDER BY id DESC LIMIT 1"), arguments: [screening])
            .map { Exam(examinedOn: LocalDate($0[0] as String)!, tests: try Self.value([String: String].self, $0[1]), recordedAt: Date(timeIntervalSince1970: $0[2])) }
    }

    private func latestClearance(_ traveller: TravellerID, in db: Database) throws -> Clearance? {
        try Row.fetchOne(db.cachedStatement(sql: """
            SELECT id, valid_until, lapse_announced FROM health_outcome WHERE traveller_id = ? AND valid_until IS NOT NULL ORDER BY id DESC LIMIT 1
            """), arguments: [traveller.rawValue]).map { Clearance(outcomeID: $0[0], validUntil: Date(timeIntervalSince1970: $0[1]), announced: $0[2]) }
    }

    private func activeHold(_ traveller: TravellerID, now: Date, in db: Database) throws -> Date? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT outcome, hold_until FROM health_outcome WHERE traveller_id = ? ORDER BY id DESC LIMIT 1"),
                                         arguments: [traveller.rawValue]),
              (row[0] as String) == FitnessOutcome.onHold.rawValue, let until = row[1] as Double? else { return nil }
        let date = Date(timeIntervalSince1970: until)
        return date > now ? date : nil
    }

    private func checkRequirements(_ input: FitnessInput, now: Date) throws {
        let requirements = input.travelRequirements ?? []
        switch input.outcome {
        case .clearedWithRequirements where requirements.isEmpty:
            throw problem(.unprocessableContent, "requirements-missing", "/travelRequirements", "cleared with travel requirements needs at least one")
        case .cleared, .notCleared, .onHold:
            guard requirements.isEmpty else {
                throw problem(.unprocessableContent, "requirements-not-allowed", "/travelRequirements", "only 'cleared-with-requirements' carries travel requirements")
            }
        default: break
        }
        if input.outcome == .onHold {
            guard let until = input.holdUntil else {
                throw problem(.unprocessableContent, "hold-until-required", "/holdUntil", "a hold needs the date it lasts until")
            }
            guard until > now else { throw problem(.unprocessableContent, "hold-until-past", "/holdUntil", "a hold must last until a future time") }
        } else if input.holdUntil != nil {
            throw problem(.unprocessableContent, "hold-until-not-allowed", "/holdUntil", "only a hold has an end date")
        }
    }

    private func travellerStatus(_ traveller: TravellerID, in db: Database) throws -> String? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT status FROM health_traveller WHERE traveller_id = ?"), arguments: [traveller.rawValue])
    }

    private func unknownOrClosed(_ traveller: TravellerID, in db: Database) throws -> Problem {
        guard let status = try travellerStatus(traveller, in: db) else {
            return problem(.notFound, "unknown-traveller", nil, "no traveller with this id is in screening")
        }
        return problem(.conflict, "traveller-not-active", nil, "the traveller's screening is \(status)")
    }

    private func caseID(of traveller: TravellerID, in db: Database) throws -> CaseID {
        guard let id = try String.fetchOne(db.cachedStatement(sql: "SELECT case_id FROM health_traveller WHERE traveller_id = ?"), arguments: [traveller.rawValue]) else {
            throw problem(.notFound, "unknown-traveller", nil, "no traveller with this id is in screening")
        }
        return CaseID(id)
    }

    private func required(_ text: String, _ field: String) throws {
        guard !text.isBlank else { throw problem(.unprocessableContent, "required", field, "a non-empty value is required") }
    }

    /// Problems name the rule and field, never a submitted value: those may be medical.
    private func problem(_ status: HTTPResponse.Status, _ rule: String, _ field: String?, _ detail: String) -> Problem {
        Problem(status: status, rule: rule, field: field, detail: detail)
    }

    /// A test name in a JSON pointer; names are configuration, not medical values.
    private func pointerEscaped(_ test: String) -> String {
        test.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    static let encoder = EventCoding.encoder()
    static let decoder = EventCoding.decoder()
    static func json<T: Encodable>(_ value: T) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
    static func value<T: Decodable>(_ type: T.Type, _ text: String) throws -> T { try decoder.decode(type, from: Data(text.utf8)) }
    /// A sealed JSON column as read: nil when absent or erased (`''`).
    static func erasable<T: Decodable>(_ type: T.Type, _ text: String?) throws -> T? {
        guard let text, !text.isEmpty else { return nil }
        return try value(type, text)
    }
}

