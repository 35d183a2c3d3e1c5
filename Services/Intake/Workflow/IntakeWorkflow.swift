import Crypto
import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore
import IntakeAPI

/// What caseworkers do to a case. Each operation runs inside one write transaction: it
/// validates, changes state through the repository, extends the timeline and appends
/// events, or throws an ``IntakeRefusal`` (or ``BlankField``) having written nothing.
struct IntakeWorkflow: Sendable {
    let programmes: ProgrammeCatalogue
    let clock: @Sendable () -> Date

    static let actor = ServiceName.intake.rawValue

    // MARK: Registration

    /// The id a new case gets. With an idempotency key it follows from the key, so that a
    /// retry lands in the same partition store as the first attempt and finds it there.
    static func newCaseID(idempotencyKey: String?) -> CaseID {
        guard let key = idempotencyKey else {
            return CaseID("HW-" + UUID().uuidString.prefix(13).lowercased().replacingOccurrences(of: "-", with: ""))
        }
        let digest = SHA256.hash(data: Data(("homeward idempotency key\u{0}" + key).utf8))
        return CaseID("HW-" + digest.prefix(6).map { String(format: "%02x", $0) }.joined())
    }

    /// Registers a referral in a store that holds every partition (tests, tools).
    func register(_ request: ReferralRequest, idempotencyKey: String?, in db: Database) throws -> CaseID {
        try register(request, caseID: Self.newCaseID(idempotencyKey: idempotencyKey), idempotencyKey: idempotencyKey, in: db)
    }

    /// Refuses a referral that breaks a rule (a problem naming the field), changing nothing.
    func validate(_ request: ReferralRequest) throws {
        try ReferralValidation.validate(request, programmes: programmes, now: clock())
    }

    /// Registers a referral as case `caseID` (``newCaseID(idempotencyKey:)``). With an
    /// idempotency key, repeating the same request returns the first case; the same key
    /// with another body is refused.
    func register(_ request: ReferralRequest, caseID: CaseID, idempotencyKey: String?, in db: Database) throws -> CaseID {
        let now = clock()
        let requestText = try StoredJSON.text(request)
        if let key = idempotencyKey {
            switch try CaseRepository.idempotentCase(key: key, request: requestText, in: db) {
            case .some(.some(let existing)): return existing
            case .some(.none):
                throw IntakeRefusal.idempotencyKeyReused
            case .none:
                // The key's case exists without its record: erased since, so the key is spent.
                guard try !CaseRepository.exists(caseID, in: db) else { throw IntakeRefusal.idempotencyKeyOfErasedCase }
            }
        }
        try validate(request)
        let all = [request.principal] + (request.dependants ?? [])
        let travellerIDs = all.indices.map { TravellerID("\(caseID.rawValue)-T\($0 + 1)") }
        try CaseRepository.insert(request, caseID: caseID, travellerIDs: travellerIDs, now: now, in: db)
        if let key = idempotencyKey {
            try CaseRepository.rememberIdempotency(key: key, request: requestText, caseID: caseID, now: now, in: db)
        }
        var events = ActionEvents(caseID: caseID, db: db, now: now)
        try events.publish(CaseRegistered(
            programmeID: request.programmeID,
            travellers: zip(all, travellerIDs).enumerated().map { index, pair in
                CaseRegistered.Traveller(
                    travellerID: pair.1, familyRole: index == 0 ? .principal : pair.0.relationship ?? .otherRelative,
                    travelDocumentStatus: pair.0.travelDocumentStatus)
            },
            returnCountry: request.returnCountry, returnCity: request.returnCity))
        let late = request.lateEntry.map { "; a late entry (\($0.reason.rawValue), returned on \($0.returnedOn))" } ?? ""
        try CaseRepository.appendTimeline(caseID, at: now, actor: Self.actor, step: "registered",
                                          outcome: "\(all.count) traveller\(all.count == 1 ? "" : "s"), referred by \(request.referringAuthority)\(late)",
                                          eventID: nil, in: db)
        for consent in request.consents ?? [] {
            try recordConsent(caseID, purpose: consent.purpose, granted: consent.granted, by: request.recordedBy,
                              events: &events, now: now, in: db)
        }
        try assess(caseID, events: &events, now: now, in: db)
        try advanceIfReady(caseID, events: &events, now: now, in: db)
        return caseID
    }

    // MARK: Consent and declaration

    /// Consent can be withdrawn whatever the case's status; given only while it is open.
    func recordConsent(_ caseID: CaseID, _ input: ConsentInput, in db: Database) throws {
        let now = clock()
        guard let found = try CaseRepository.state(caseID, in: db) else { throw IntakeRefusal.unknownCase }
        let state = input.granted ? try activeCase(caseID, allowNotEligible: true, in: db) : found
        let by = input.recordedBy
        try BlankField.check(by, at: "/recordedBy")
        var events = ActionEvents(caseID: state.caseID, db: db, now: now)
        try recordConsent(caseID, purpose: input.purpose, granted: input.granted, by: by, events: &events, now: now, in: db)
        try advanceIfReady(caseID, events: &events, now: now, in: db)
    }

    private func recordConsent(_ caseID: CaseID, purpose: ConsentPurpose, granted: Bool, by: String,
                               events: inout ActionEvents, now: Date, in db: Database) throws {
        try CaseRepository.recordConsent(caseID, purpose: purpose, granted: granted, by: by, at: now, in: db)
        try events.publish(ConsentChanged(purpose: purpose, granted: granted))
        try CaseRepository.appendTimeline(caseID, at: now, actor: Self.actor, step: "consent-changed",
                                          outcome: "\(purpose.rawValue): \(granted ? "given" : "withdrawn")", eventID: nil, in: db)
    }

    // MARK: Exceptions to consent

    /// A supervisor's exception to consent for one purpose (IOM principle 13), replacing
    /// the one before, on an existing case not erased, whatever its status. Four eyes: the
    /// caseworker who registered the case does not record one for it. The reason stays
    /// here, sealed; the event and the timeline carry the purpose, the legal basis and the
    /// validity.
    func recordException(_ caseID: CaseID, _ input: ExceptionInput, in db: Database) throws {
        let now = clock()
        try requireNotErased(caseID, in: db)
        try BlankField.check(input.recordedBy, at: "/recordedBy")
        try BlankField.check(input.reason, at: "/reason")
        if let until = input.validUntil, until <= now { throw IntakeRefusal.exceptionValidUntilPast }
        guard try CaseRepository.registeredBy(caseID, in: db) != input.recordedBy else { throw IntakeRefusal.exceptionByCaseworker }
        try CaseRepository.recordException(caseID, input, at: now, in: db)
        var events = ActionEvents(caseID: caseID, db: db, now: now)
        try events.publish(ExceptionChanged(purpose: input.purpose, legalBasis: input.legalBasis, inForce: true, validUntil: input.validUntil))
        let until = input.validUntil.map { ", until \(Instant.format($0))" } ?? ""
        try CaseRepository.appendTimeline(caseID, at: now, actor: Self.actor, step: "exception-recorded",
                                          outcome: "\(input.purpose.rawValue): \(input.legalBasis.rawValue)\(until)", eventID: nil, in: db)
    }

    /// Withdraws the exception in force for `purpose`: its flows need consent again.
    func withdrawException(_ caseID: CaseID, _ purpose: ConsentPurpose, _ input: ExceptionWithdrawalInput, in db: Database) throws {
        let now = clock()
        try requireNotErased(caseID, in: db)
        try BlankField.check(input.recordedBy, at: "/recordedBy")
        guard let basis = try CaseRepository.withdrawException(caseID, purpose, by: input.recordedBy, at: now, in: db) else {
            throw IntakeRefusal.noExceptionInForce
        }
        var events = ActionEvents(caseID: caseID, db: db, now: now)
        try events.publish(ExceptionChanged(purpose: purpose, legalBasis: basis, inForce: false))
        try CaseRepository.appendTimeline(caseID, at: now, actor: Self.actor, step: "exception-withdrawn",
                                          outcome: "\(purpose.rawValue): \(basis.rawValue)", eventID: nil, in: db)
    }

    private func requireNotErased(_ caseID: CaseID, in db: Database) throws {
        guard let state = try CaseRepository.state(caseID, in: db) else { throw IntakeRefusal.unknownCase }
        guard state.erasedAt == nil else { throw IntakeRefusal.caseErased }
    }

    /// The programme decides how many counselling sessions come first
    /// (`counsellingSessionsBeforeDeclaration`).
    func recordDeclaration(_ caseID: CaseID, _ input: DeclarationInput, in db: Database) throws {
        let now = clock()
        let state = try activeCase(caseID, allowNotEligible: true, in: db)
        try BlankField.check(input.recordedBy, at: "/recordedBy")
        guard state.declaredAt == nil else { throw IntakeRefusal.declarationAlreadyRecorded }
        let declaredAt = input.declaredAt ?? now
        guard declaredAt <= now else { throw IntakeRefusal.declarationInFuture }
        guard declaredAt >= state.referredAt else { throw IntakeRefusal.declarationBeforeReferral }
        guard let programme = programmes.programme(state.programmeID) else { throw IntakeRefusal.programmeNoLongerConfigured }
        let recorded = try CaseRepository.counsellingSessions(caseID, in: db)
        guard recorded >= programme.counsellingSessionsBeforeDeclaration else {
            throw IntakeRefusal.counsellingRequired(needed: programme.counsellingSessionsBeforeDeclaration, recorded: recorded)
        }
        try requireDocuments(before: .screening, programmeID: state.programmeID, of: caseID, in: db)
        try CaseRepository.recordDeclaration(caseID, at: declaredAt, by: input.recordedBy, now: now, in: db)
        try CaseRepository.appendTimeline(caseID, at: now, actor: Self.actor, step: "declaration-recorded",
                                          outcome: "informed-choice declaration recorded", eventID: nil, in: db)
        var events = ActionEvents(caseID: caseID, db: db, now: now)
        try advanceIfReady(caseID, events: &events, now: now, in: db)
    }

    // MARK: Counselling

    /// A counselling session, recorded while the case is active or not eligible (as consent
    /// is given); the counsellor is the caller. No event: no other service needs it.
    func recordCounselling(_ caseID: CaseID, _ input: CounsellingInput, in db: Database) throws {
        let now = clock()
        let state = try activeCase(caseID, allowNotEligible: true, in: db)
        try BlankField.check(input.recordedBy, at: "/recordedBy")
        let heldAt = try SessionRules.check(language: input.language, topics: input.topics, heldAt: input.heldAt, now: now, referredAt: state.referredAt)
        try CaseRepository.recordCounselling(caseID, input, heldAt: heldAt, now: now, in: db)
        // The timeline outlives an erasure: it names the mode, never the language or the person's wish.
        try CaseRepository.appendTimeline(caseID, at: now, actor: Self.actor, step: "counselling",
                                          outcome: "\(input.mode.rawValue) session recorded", eventID: nil, in: db)
    }

    /// A traveller's pre-departure orientation, on an active case; announced to travel
    /// booking, whose departure may wait for it (``OrientationRecorded``).
    func recordOrientation(_ caseID: CaseID, _ traveller: TravellerID, _ input: OrientationInput, in db: Database) throws {
        let now = clock()
        let state = try activeCase(caseID, in: db)
        guard try CaseRepository.hasTraveller(traveller, in: caseID, db: db) else { throw IntakeRefusal.unknownTraveller }
        // The family departs together (a no-show holds everyone), so the case's departure is each traveller's.
        guard state.departedAt == nil else { throw IntakeRefusal.orientationAfterDeparture }
        try BlankField.check(input.recordedBy, at: "/recordedBy")
        let heldAt = try SessionRules.check(language: input.language, topics: input.topics, heldAt: input.heldAt, now: now, referredAt: state.referredAt)
        try CaseRepository.recordOrientation(caseID, traveller, input, heldAt: heldAt, now: now, in: db)
        var events = ActionEvents(caseID: caseID, db: db, now: now)
        try events.publish(OrientationRecorded(travellerID: traveller, heldAt: heldAt))
        try CaseRepository.appendTimeline(caseID, at: now, actor: Self.actor, step: "orientation",
                                          outcome: "\(traveller) oriented", eventID: nil, in: db)
    }

    // MARK: Eligibility

    /// Re-runs the programme rules on the recorded facts.
    func reassess(_ caseID: CaseID, in db: Database) throws {
        let now = clock()
        _ = try activeCase(caseID, allowNotEligible: true, in: db)
        var events = ActionEvents(caseID: caseID, db: db, now: now)
        try assess(caseID, events: &events, now: now, in: db)
        try advanceIfReady(caseID, events: &events, now: now, in: db)
    }

    private func assess(_ caseID: CaseID, events: inout ActionEvents, now: Date, in db: Database) throws {
        guard let state = try CaseRepository.state(caseID, in: db), let programme = programmes.programme(state.programmeID) else {
            throw IntakeRefusal.programmeNoLongerConfigured
        }
        let decision = EligibilityEngine.decide(EligibilityFacts(
            referredAt: state.referredAt, firstContactAt: state.firstContactAt, residenceArea: state.currentArea,
            returnCountry: state.returnCountry, finalNegativeDecisionOn: state.immigration.finalNegativeDecisionOn,
            leaveApplicationFiled: state.immigration.leaveApplicationFiled, appealFiled: state.immigration.appealFiled,
            designatedCountryOfOrigin: state.immigration.designatedCountryOfOrigin,
            claimWithdrawnOrAbandoned: state.immigration.claimWithdrawnOrAbandoned), under: programme)
        try CaseRepository.recordDecision(caseID, decision, status: decision.eligible ? .active : .notEligible, now: now, in: db)
        try events.publish(EligibilityDecided(
            eligible: decision.eligible, reasons: decision.failedRules, assistance: decision.assistance,
            targetDepartureBy: decision.targetDepartureBy))
        let outcome = decision.eligible
            ? "eligible" + (decision.assistance.map { ", \($0.tier.rawValue) tier" } ?? "")
            : "not eligible: " + decision.reasons.filter { !$0.passed }.map(\.rule).joined(separator: ", ")
        let flags = decision.flags.isEmpty ? "" : " (flags: \(decision.flags.map(\.rawValue).joined(separator: ", ")))"
        try CaseRepository.appendTimeline(caseID, at: now, actor: Self.actor, step: "eligibility-decided", outcome: outcome + flags, eventID: nil, in: db)
    }

    /// Ready for screening: eligible, consent to processing, declaration recorded, active.
    /// Announced once; with it, the travellers whose orientation departure waits for, when
    /// the programme asks for one. A late entry is ready for reintegration instead.
    private func advanceIfReady(_ caseID: CaseID, events: inout ActionEvents, now: Date, in db: Database) throws {
        guard let state = try CaseRepository.state(caseID, in: db), state.status == .active, state.eligible == true,
              state.declaredAt != nil, state.readyForScreeningAt == nil, state.readyForReintegrationAt == nil,
              try CaseRepository.consents(caseID, in: db).contains(where: { $0.purpose == .processing && $0.granted }),
              let programme = programmes.programme(state.programmeID)
        else { return }
        if let late = state.lateEntry {
            try events.publish(LateEntryReady(returnedOn: late.returnedOn, reason: late.reason,
                                              travellerIDs: try CaseRepository.travellers(caseID, in: db).map(\.travellerID)))
            try CaseRepository.markReadyForReintegration(caseID, now: now, in: db)
            try CaseRepository.appendTimeline(caseID, at: now, actor: Self.actor, step: "ready-for-reintegration",
                                              outcome: "a late entry: eligible, consent to processing and declaration recorded; screening and travel skipped",
                                              eventID: nil, in: db)
            return
        }
        let today = LocalDate.containing(now, in: programme.zone)
        let travellers = try CaseRepository.travellers(caseID, in: db).map {
            ReadyForScreening.Traveller(travellerID: $0.travellerID, ageYears: $0.dateOfBirth?.age(on: today) ?? 0, sex: $0.sex)
        }
        try events.publish(ReadyForScreening(travellers: travellers))
        if let orientation = programme.orientationBeforeDeparture {
            let needed = travellers.filter { $0.ageYears >= orientation.fromAgeYears }.map(\.travellerID)
            if !needed.isEmpty { try events.publish(OrientationRequired(travellerIDs: needed)) }
        }
        try CaseRepository.markReadyForScreening(caseID, now: now, in: db)
        try CaseRepository.appendTimeline(caseID, at: now, actor: Self.actor, step: "ready-for-screening",
                                          outcome: "eligible, consent to processing and declaration recorded", eventID: nil, in: db)
    }

    // MARK: Corrections

    /// Corrects the case's current location, immigration facts or vulnerabilities (a merge
    /// patch, ``Correction``), checked by the rules of registration, whatever the case's
    /// status until its personal data is erased: the person's right to an accurate record
    /// lasts as long as it is kept. A changed location or immigration fact re-decides
    /// eligibility at once while the case is open and before departure; after, the decision
    /// the family travelled on stands. Nothing downstream holds these facts: no event.
    func correct(_ caseID: CaseID, _ correction: Correction, in db: Database) throws {
        let now = clock()
        let state = try caseToCorrect(caseID, by: correction, in: db)
        guard let programme = programmes.programme(state.programmeID) else { throw IntakeRefusal.programmeNoLongerConfigured }
        let (corrected, changed) = try RecordCorrection.apply(correction.changes, to: try CaseRepository.personalFacts(caseID, in: db))
        try ReferralValidation.location(corrected.currentLocation)
        try ReferralValidation.immigration(corrected.immigration, referredAt: state.referredAt, under: programme)
        try ReferralValidation.vulnerabilities(corrected.vulnerabilities)
        guard !changed.isEmpty else { return }
        try CaseRepository.correct(caseID, corrected, now: now, in: db)
        try CaseRepository.appendTimeline(caseID, at: now, actor: Self.actor, step: "corrected",
                                          outcome: "\(changed.joined(separator: ", ")) corrected by \(correction.recordedBy)", eventID: nil, in: db)
        guard changed.contains(where: CasePersonalFacts.eligibilityFacts.contains), [.active, .notEligible].contains(state.status),
              state.departedAt == nil else { return }
        var events = ActionEvents(caseID: caseID, db: db, now: now)
        try assess(caseID, events: &events, now: now, in: db)
        try advanceIfReady(caseID, events: &events, now: now, in: db)
    }

    /// Corrects a traveller's names, date of birth, sex, nationality, languages, relationship
    /// to the principal or travel-document status, on the same terms as the case's facts;
    /// the principal stays the principal. The keyed hashes follow the corrected names, so the
    /// case is found by them and no longer by the old. What another service holds of the
    /// traveller and changed is announced (``TravellerCorrected``); nothing else is.
    func correct(_ caseID: CaseID, traveller: TravellerID, _ correction: Correction, in db: Database) throws {
        let now = clock()
        let state = try caseToCorrect(caseID, by: correction, in: db)
        guard let programme = programmes.programme(state.programmeID) else { throw IntakeRefusal.programmeNoLongerConfigured }
        let travellers = try CaseRepository.travellers(caseID, in: db)
        guard let position = travellers.firstIndex(where: { $0.travellerID == traveller }) else { throw IntakeRefusal.unknownTraveller }
        guard let recorded = TravellerInput(recorded: travellers[position]) else { throw IntakeRefusal.caseErased }
        let (corrected, changed) = try RecordCorrection.apply(correction.changes, to: recorded)
        let today = LocalDate.containing(now, in: programme.zone)
        try ReferralValidation.traveller(corrected, "", today: today)
        try ReferralValidation.relationship(corrected.relationship, ofPrincipal: position == 0, at: "/relationship")
        let others = travellers.indices.filter { $0 != position }.compactMap { TravellerInput(recorded: travellers[$0]).map(ReferralValidation.identity) }
        guard !others.contains(ReferralValidation.identity(corrected)) else { throw IntakeRefusal.duplicateTraveller(at: "") }
        guard !changed.isEmpty else { return }
        let role = position == 0 ? FamilyRole.principal : corrected.relationship ?? .otherRelative
        try CaseRepository.correct(traveller, of: caseID, corrected, role: role, now: now, in: db)
        try CaseRepository.appendTimeline(caseID, at: now, actor: Self.actor, step: "corrected",
                                          outcome: "\(traveller): \(changed.joined(separator: ", ")) corrected by \(correction.recordedBy)",
                                          eventID: nil, in: db)
        // Travel booking holds roles and documents from the registration; health screening
        // ages and sexes from ready-for-screening, which a late entry never reaches.
        let (before, after) = (recorded.dateOfBirth.age(on: today), corrected.dateOfBirth.age(on: today))
        let screened = state.readyForScreeningAt != nil
        let announced = TravellerCorrected(
            travellerID: traveller, ageYears: screened && after != before ? after : nil,
            sex: screened && corrected.sex != recorded.sex ? corrected.sex : nil,
            familyRole: role != travellers[position].familyRole ? role : nil,
            travelDocumentStatus: corrected.travelDocumentStatus != recorded.travelDocumentStatus ? corrected.travelDocumentStatus : nil)
        var events = ActionEvents(caseID: caseID, db: db, now: now)
        if !announced.isEmpty { try events.publish(announced) }
        // Old enough now for the orientation the programme asks for before departure.
        if screened, state.departedAt == nil, let orientation = programme.orientationBeforeDeparture, before < orientation.fromAgeYears, after >= orientation.fromAgeYears {
            try events.publish(OrientationRequired(travellerIDs: [traveller]))
        }
    }

    /// A case whose record can be corrected: it exists and its personal data is not erased;
    /// the caller is named.
    private func caseToCorrect(_ caseID: CaseID, by correction: Correction, in db: Database) throws -> CaseRepository.CaseState {
        guard let state = try CaseRepository.state(caseID, in: db) else { throw IntakeRefusal.unknownCase }
        guard state.erasedAt == nil else { throw IntakeRefusal.caseErased }
        try BlankField.check(correction.recordedBy, at: "/recordedBy")
        return state
    }

    // MARK: Withdrawal and revocation

    func withdraw(_ caseID: CaseID, _ input: WithdrawalInput, in db: Database) throws {
        let state = try activeCase(caseID, allowNotEligible: true, in: db)
        try BlankField.check(input.recordedBy, at: "/recordedBy")
        guard state.departedAt == nil else { throw IntakeRefusal.withdrawalAfterDeparture }
        try end(caseID, as: .withdrawn, announcing: CaseWithdrawn(), step: "withdrawn",
                outcome: "the person withdrew; downstream steps are cancelled", in: db)
    }

    func revoke(_ caseID: CaseID, _ input: RevocationInput, in db: Database) throws {
        _ = try activeCase(caseID, allowNotEligible: true, in: db)
        try BlankField.check(input.recordedBy, at: "/recordedBy")
        try BlankField.check(input.authority, at: "/authority")
        try end(caseID, as: .revoked, announcing: EligibilityRevoked(), step: "eligibility-revoked",
                outcome: "revoked by \(input.authority); downstream steps are cancelled", in: db)
    }

    /// Withdraws an active case not yet departed that has had no step for `days` (the
    /// retention sweep): every service stops its steps, and the retention period runs.
    func withdrawInactive(_ caseID: CaseID, days: Double, in db: Database) throws {
        guard let state = try CaseRepository.state(caseID, in: db), state.status == .active, state.departedAt == nil else { return }
        try end(caseID, as: .withdrawn, announcing: CaseWithdrawn(), step: "withdrawn",
                outcome: "no activity for \(Int(days)) days; downstream steps are cancelled", in: db)
    }

    /// Ends an active case by staff action: the status, the event that tells every service
    /// to stop its steps, and the timeline entry.
    private func end(_ caseID: CaseID, as status: CaseStatus, announcing event: some EventPayload, step: String, outcome: String,
                     in db: Database) throws {
        let now = clock()
        try CaseRepository.end(caseID, as: status, now: now, in: db)
        var events = ActionEvents(caseID: caseID, db: db, now: now)
        try events.publish(event)
        try CaseRepository.appendTimeline(caseID, at: now, actor: Self.actor, step: step, outcome: outcome, eventID: nil, in: db)
    }

    // MARK: Erasure

    /// Erases the case's personal data here and announces it, so that every service erases
    /// its own (``PersonalDataErased``). Only an ended case is erased: an active one is
    /// withdrawn first. Erasing an erased case changes nothing.
    func erase(_ caseID: CaseID, _ input: ErasureInput, in db: Database) throws {
        try BlankField.check(input.recordedBy, at: "/recordedBy")
        try erase(caseID, reason: .request, by: input.recordedBy, in: db)
    }

    /// Erases a case whose retention period after it ended has passed (the retention sweep).
    func eraseExpired(_ caseID: CaseID, in db: Database) throws {
        try erase(caseID, reason: .retention, by: "retention", in: db)
    }

    private func erase(_ caseID: CaseID, reason: ErasureReason, by: String, in db: Database) throws {
        let now = clock()
        guard let state = try CaseRepository.state(caseID, in: db) else { throw IntakeRefusal.unknownCase }
        guard state.erasedAt == nil else { return }
        guard state.status != .active else { throw IntakeRefusal.caseActive }
        try CaseRepository.erase(caseID, reason: reason, now: now, in: db)
        try IdempotentAnswer.forget(caseID: caseID.rawValue, in: db)
        try DocumentStore.erase(caseID, at: now, in: db)
        try CaseRepository.appendTimeline(caseID, at: now, actor: Self.actor, step: "personal-data-erased",
                                          outcome: reason == .request ? "on request, recorded by \(by)" : "the retention period after the case ended has passed",
                                          eventID: nil, in: db)
        var events = ActionEvents(caseID: caseID, db: db, now: now)
        try events.publish(PersonalDataErased(reason: reason))
    }

    /// Erases a case again in a store restored from a backup taken before its erasure
    /// (``ErasureLedger``): the same erasure here, its reason lost with the restore, announced
    /// to nobody (every service keeps its own ledger).
    func eraseAgain(_ caseID: CaseID, erasedAt: Date, in db: Database) throws {
        try CaseRepository.erase(caseID, reason: nil, now: erasedAt, in: db)
        try IdempotentAnswer.forget(caseID: caseID.rawValue, in: db)
        try DocumentStore.erase(caseID, at: erasedAt, in: db)
        guard try CaseRepository.exists(caseID, in: db) else { return }
        try CaseRepository.appendTimeline(caseID, at: erasedAt, actor: Self.actor, step: "personal-data-erased",
                                          outcome: "erased again in a store restored from a backup taken before the erasure", eventID: nil, in: db)
    }

    /// The case, if it exists and is still open to caseworkers' changes.
    private func activeCase(_ caseID: CaseID, allowNotEligible: Bool = false, in db: Database) throws -> CaseRepository.CaseState {
        guard let state = try CaseRepository.state(caseID, in: db) else { throw IntakeRefusal.unknownCase }
        guard state.erasedAt == nil else { throw IntakeRefusal.caseErased }
        switch state.status {
        case .active: return state
        case .notEligible where allowNotEligible: return state
        default: throw IntakeRefusal.caseNotActive(state.status)
        }
    }
}

extension Programme {
    var zone: TimeZone { TimeZone(identifier: timeZone) ?? .gmt }
}
