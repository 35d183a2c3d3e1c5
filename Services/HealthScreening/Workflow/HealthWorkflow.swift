import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore
import HealthScreeningAPI

/// What health officers do to a traveller's record, each inside one write transaction:
/// the screening rules decide, the repository writes, then outbox events. Events carry
/// outcomes, travel requirements and validity windows; never a result, note, condition or
/// diagnosis. A refusal (``HealthRefusal``) writes nothing.
struct HealthWorkflow: Sendable {
    let rules: ScreeningRules
    let clock: @Sendable () -> Date
    /// `required_tests` as stored, by age in years: every traveller opens a screening, and
    /// encoding the same few lists anew cost the stage 3 % of its CPU.
    private let requiredTestsJSON: [String?]

    init(rules: ScreeningRules, clock: @escaping @Sendable () -> Date) {
        self.rules = rules
        self.clock = clock
        requiredTestsJSON = (0...130).map { age in try? StoredJSON.text(rules.requiredTests(age: age)) }
    }

    /// Opens a screening of `kind` with the tests the traveller's age requires.
    func openScreening(_ traveller: TravellerID, age: Int, kind: ScreeningKind, at now: Date, in db: Database) throws {
        try HealthRepository.openScreening(traveller, kind: kind, requiredTests: try requiredTests(age: age), at: now, in: db)
    }

    /// Intake corrected the traveller's age or sex. A screening still awaiting its outcome
    /// asks for the tests of the corrected age from now on (results recorded stay). An
    /// outcome already issued stands: it is the officer's finding on the person examined,
    /// and a re-screen, if the officer decides one, asks for the tests of the corrected age.
    func correct(_ traveller: TravellerID, ageYears: Int?, sex: Sex?, at now: Date, in db: Database) throws {
        try HealthRepository.correct(traveller, ageYears: ageYears, sex: sex, at: now, in: db)
        if let ageYears, let screening = try HealthRepository.openScreening(of: traveller, in: db) {
            try HealthRepository.setRequiredTests(try requiredTests(age: ageYears), ofScreening: screening.id, in: db)
        }
    }

    /// The tests of `age`, as stored (a JSON list).
    private func requiredTests(age: Int) throws -> String {
        if requiredTestsJSON.indices.contains(age), let text = requiredTestsJSON[age] { text } else { try StoredJSON.text(rules.requiredTests(age: age)) }
    }

    // MARK: Health officers' actions

    func recordExam(_ traveller: TravellerID, _ input: ExamInput, in db: Database) throws {
        let now = clock()
        try BlankField.check(input.recordedBy, at: "/recordedBy")
        let screening = try openScreening(of: traveller, in: db)
        guard input.examinedOn <= LocalDate.containing(now, in: .gmt) else { throw HealthRefusal.examInFuture }
        for test in input.results.keys.sorted() where !screening.requiredTests.contains(test) {
            throw HealthRefusal.testNotRequired(test: test, required: screening.requiredTests)
        }
        for (test, result) in input.results.sorted(by: { $0.key < $1.key }) where result.isBlank {
            throw HealthRefusal.resultMissing(test: test)
        }
        try HealthRepository.addExam(input, to: screening.id, at: now, in: db)
    }

    func recordFitness(_ traveller: TravellerID, _ input: FitnessInput, in db: Database) throws {
        let now = clock()
        try BlankField.check(input.recordedBy, at: "/recordedBy")
        let screening = try openScreening(of: traveller, in: db)
        try checkOutcome(input, now: now)
        let caseID = try self.caseID(of: traveller, in: db)
        var validity: (from: Date, until: Date)?
        if input.outcome.isCleared {
            if let hold = try activeHold(traveller, now: now, in: db) { throw HealthRefusal.clearanceContradictsHold(until: hold) }
            guard let exam = try HealthRepository.latestExam(of: screening.id, in: db) else { throw HealthRefusal.examRequired }
            if let heldAt = try HealthRepository.lastHold(of: screening.id, in: db), exam.recordedAt <= heldAt { throw HealthRefusal.examBeforeHold }
            let missing = screening.requiredTests.filter { exam.tests[$0] == nil }
            guard missing.isEmpty else { throw HealthRefusal.requiredTestsMissing(missing) }
            guard rules.examIsCurrent(examinedOn: exam.examinedOn, at: now) else {
                throw HealthRefusal.examTooOld(validityMonths: rules.clearanceValidityMonths)
            }
            validity = (exam.examinedOn.start(in: .gmt), rules.clearanceValidUntil(examinedOn: exam.examinedOn))
        }
        let requirements = input.travelRequirements ?? []
        try HealthRepository.addOutcome(
            .init(outcome: input.outcome, requirements: try StoredJSON.text(requirements), holdUntil: input.holdUntil,
                  validFrom: validity?.from, validUntil: validity?.until, recordedBy: input.recordedBy),
            of: traveller, screening: screening.id, at: now, in: db)
        try HealthRepository.setStatus(ScreeningStatus(input.outcome), ofScreening: screening.id, in: db)
        var events = ActionEvents(caseID: caseID, db: db, now: now)
        switch input.outcome {
        case .cleared, .clearedWithRequirements:
            try events.publish(ClearanceIssued(
                travellerID: traveller, outcome: input.outcome == .cleared ? .cleared : .clearedWithRequirements,
                travelRequirements: requirements, validFrom: validity!.from, validUntil: validity!.until))
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
        try BlankField.check(input.recordedBy, at: "/recordedBy")
        let caseID = try requireActive(traveller, in: db)
        try HealthRepository.supersedeOpenScreenings(of: traveller, in: db)
        try openScreening(traveller, age: try HealthRepository.age(of: traveller, in: db), kind: .rescreen, at: now, in: db)
        var events = ActionEvents(caseID: caseID, db: db, now: now)
        try events.publish(ScreeningOpened(travellerID: traveller, kind: .rescreen))
    }

    func recordPreEmbarkation(_ traveller: TravellerID, _ input: FitnessInput, in db: Database) throws {
        let now = clock()
        try BlankField.check(input.recordedBy, at: "/recordedBy")
        let caseID = try requireActive(traveller, in: db)
        guard let check = try HealthRepository.dueCheck(of: traveller, in: db) else { throw HealthRefusal.noPreEmbarkationCheckDue }
        let checkedAt = input.checkedAt ?? now
        guard checkedAt <= now else { throw HealthRefusal.checkInFuture }
        guard check.window.contains(checkedAt) else {
            throw HealthRefusal.outsidePreEmbarkationWindow(from: check.window.lowerBound, to: check.window.upperBound)
        }
        try checkOutcome(input, now: now)
        if input.outcome.isCleared, let hold = try activeHold(traveller, now: now, in: db) {
            throw HealthRefusal.checkContradictsHold(until: hold)
        }
        try HealthRepository.completeCheck(check, input, checkedAt: checkedAt, in: db)
        // A hold or a refusal at the check is the traveller's fitness from now on.
        if !input.outcome.isCleared, let screening = try HealthRepository.latestScreeningID(of: traveller, in: db) {
            try HealthRepository.addOutcome(
                .init(outcome: input.outcome, requirements: "[]", holdUntil: input.holdUntil, recordedBy: input.recordedBy),
                of: traveller, screening: screening, at: now, in: db)
            try HealthRepository.setStatus(ScreeningStatus(input.outcome), ofScreening: screening, in: db)
        }
        var events = ActionEvents(caseID: caseID, db: db, now: now)
        try events.publish(PreEmbarkationCheckDone(
            travellerID: traveller, bookingID: check.bookingID, outcome: input.outcome,
            travelRequirements: input.travelRequirements ?? [], holdUntil: input.holdUntil))
    }

    // MARK: Lapses

    /// Announces clearances that ran out while their traveller has not departed, once each.
    /// Returns how many it announced.
    @discardableResult
    func announceLapses(in db: Database) throws -> Int {
        let now = clock()
        let lapses = try HealthRepository.unannouncedLapses(before: now, in: db)
        for lapse in lapses { try announceLapse(lapse, cause: nil, at: now, in: db) }
        return lapses.count
    }

    /// Announces one lapse, as an effect of `cause` when an event revealed it.
    func announceLapse(_ clearance: HealthRepository.Clearance, cause: ReceivedEvent?, at now: Date, in db: Database) throws {
        try HealthRepository.markLapseAnnounced(clearance, in: db)
        let lapsed = ClearanceLapsed(travellerID: clearance.travellerID, validUntil: clearance.validUntil)
        if let cause {
            try Outbox.append(cause.causing(lapsed, time: now), in: db)
        } else {
            var events = ActionEvents(caseID: clearance.caseID, db: db, now: now)
            try events.publish(lapsed)
        }
    }

    // MARK: Rules of every action

    /// Active, and the person has not withdrawn consent to processing: every officer's
    /// action on a traveller (a screening, an exam, an outcome, a check) is processing.
    /// Answers the traveller's case, which the consent is read by.
    @discardableResult
    private func requireActive(_ traveller: TravellerID, in db: Database) throws -> CaseID {
        switch try HealthRepository.status(of: traveller, in: db) {
        case nil: throw HealthRefusal.unknownTraveller
        case .active?: break
        case let status?: throw HealthRefusal.travellerNotActive(status)
        }
        let caseID = try caseID(of: traveller, in: db)
        if try ConsentStore.isWithdrawn(.processing, of: caseID, in: db) { throw HealthRefusal.consentWithdrawn(.processing) }
        return caseID
    }

    private func openScreening(of traveller: TravellerID, in db: Database) throws -> HealthRepository.Screening {
        try requireActive(traveller, in: db)
        guard let screening = try HealthRepository.openScreening(of: traveller, in: db) else { throw HealthRefusal.noOpenScreening }
        return screening
    }

    private func caseID(of traveller: TravellerID, in db: Database) throws -> CaseID {
        guard let caseID = try HealthRepository.caseID(of: traveller, in: db) else { throw HealthRefusal.unknownTraveller }
        return caseID
    }

    /// The end of a hold still running.
    private func activeHold(_ traveller: TravellerID, now: Date, in db: Database) throws -> Date? {
        guard let until = try HealthRepository.holdUntil(of: traveller, in: db), until > now else { return nil }
        return until
    }

    /// Requirements only with `cleared-with-requirements`; an end date only with a hold, in the future.
    private func checkOutcome(_ input: FitnessInput, now: Date) throws(HealthRefusal) {
        let requirements = input.travelRequirements ?? []
        switch input.outcome {
        case .clearedWithRequirements: if requirements.isEmpty { throw .requirementsMissing }
        case .cleared, .notCleared, .onHold: if !requirements.isEmpty { throw .requirementsNotAllowed }
        }
        if input.outcome == .onHold {
            guard let until = input.holdUntil else { throw .holdUntilRequired }
            guard until > now else { throw .holdUntilPast }
        } else if input.holdUntil != nil {
            throw .holdUntilNotAllowed
        }
    }
}
