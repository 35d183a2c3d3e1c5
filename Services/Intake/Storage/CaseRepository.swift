import Foundation
import GRDB
import HomewardModel
import HomewardStore
import IntakeAPI

/// Reads and writes intake's tables inside the caller's transaction.
enum CaseRepository {
    // MARK: Writing

    static func insert(_ r: ReferralRequest, caseID: CaseID, travellerIDs: [TravellerID], now: Date, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO intake_case (case_id, programme_id, referring_authority, referred_at, first_contact_at, registered_at,
                registered_by, current_city, current_area, return_country, return_city, immigration, vulnerabilities,
                status, stage, updated_at, late_entry_returned_on, late_entry_reason)
            VALUES (?, ?, ?, ?, ?, ?, ?, hw_seal(?, 'intake_case.current_city'), ?, ?, ?, hw_seal(?, 'intake_case.immigration'),
                    hw_seal(?, 'intake_case.vulnerabilities'), ?, ?, ?, ?, ?)
            """).execute(arguments: [
                caseID.rawValue, r.programmeID, r.referringAuthority, r.referredAt.timeIntervalSince1970,
                r.firstContactAt.timeIntervalSince1970, now.timeIntervalSince1970, r.recordedBy, r.currentLocation.city,
                r.currentLocation.area, r.returnCountry, r.returnCity, try StoredJSON.text(r.immigration), try StoredJSON.text(r.vulnerabilities ?? []),
                CaseStatus.active.rawValue, CaseStage.intake.rawValue, now.timeIntervalSince1970, r.lateEntry?.returnedOn.description,
                r.lateEntry?.reason.rawValue,
            ])
        for (position, (traveller, id)) in zip([r.principal] + (r.dependants ?? []), travellerIDs).enumerated() {
            try db.cachedStatement(sql: """
                INSERT INTO intake_traveller (traveller_id, case_id, position, family_role, given_name, family_name, date_of_birth,
                    sex, nationality, languages, travel_document_status, given_name_hash, family_name_hash, date_of_birth_hash)
                VALUES (:id, :case, :position, :role, hw_seal(:given, 'intake_traveller.given_name'), hw_seal(:family, 'intake_traveller.family_name'),
                    hw_seal(:born, 'intake_traveller.date_of_birth'), :sex, hw_seal(:nationality, 'intake_traveller.nationality'),
                    hw_seal(:languages, 'intake_traveller.languages'), :documents, hw_search(:given), hw_search(:family), hw_search(:born))
                """).execute(arguments: [
                    "id": id.rawValue, "case": caseID.rawValue, "position": position,
                    "role": (position == 0 ? FamilyRole.principal : traveller.relationship ?? .otherRelative).rawValue,
                    "given": traveller.givenName, "family": traveller.familyName, "born": traveller.dateOfBirth.description, "sex": traveller.sex.rawValue,
                    "nationality": traveller.nationality, "languages": try StoredJSON.text(traveller.languages ?? []),
                    "documents": traveller.travelDocumentStatus.rawValue,
                ])
        }
    }

    static func recordConsent(_ caseID: CaseID, purpose: ConsentPurpose, granted: Bool, by: String, at: Date, in db: Database) throws {
        try db.execute(sql: "INSERT INTO intake_consent (case_id, purpose, granted, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?)",
                       arguments: [caseID.rawValue, purpose.rawValue, granted, by, at.timeIntervalSince1970])
    }

    /// An exception to consent; the reason sealed.
    static func recordException(_ caseID: CaseID, _ input: ExceptionInput, at now: Date, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO intake_exception (case_id, purpose, legal_basis, reason, valid_until, recorded_by, recorded_at)
            VALUES (?, ?, ?, hw_seal(?, 'intake_exception.reason'), ?, ?, ?)
            """).execute(arguments: [caseID.rawValue, input.purpose.rawValue, input.legalBasis.rawValue, input.reason,
                                     input.validUntil?.timeIntervalSince1970, input.recordedBy, now.timeIntervalSince1970])
    }

    /// Withdraws the exception in force for `purpose`; its legal basis, nil when none is.
    static func withdrawException(_ caseID: CaseID, _ purpose: ConsentPurpose, by: String, at now: Date, in db: Database) throws -> ExceptionBasis? {
        guard let current = try exceptions(caseID, in: db).first(where: { $0.purpose == purpose }), current.withdrawnAt == nil,
              current.validUntil.map({ $0 > now }) ?? true else { return nil }
        try db.cachedStatement(sql: """
            UPDATE intake_exception SET withdrawn_by = ?, withdrawn_at = ?
            WHERE id = (SELECT MAX(id) FROM intake_exception WHERE case_id = ? AND purpose = ?)
            """).execute(arguments: [by, now.timeIntervalSince1970, caseID.rawValue, purpose.rawValue])
        return current.legalBasis
    }

    /// The caseworker who registered the case.
    static func registeredBy(_ caseID: CaseID, in db: Database) throws -> String? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT registered_by FROM intake_case WHERE case_id = ?"), arguments: [caseID.rawValue])
    }

    /// A counselling session; the notes sealed.
    static func recordCounselling(_ caseID: CaseID, _ session: CounsellingInput, heldAt: Date, now: Date, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO intake_counselling (case_id, held_at, mode, language, interpreter, topics, outcome, notes, counsellor, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, hw_seal(?, 'intake_counselling.notes'), ?, ?)
            """).execute(arguments: [caseID.rawValue, heldAt.timeIntervalSince1970, session.mode.rawValue, session.language, session.interpreter,
                             try StoredJSON.text(session.topics), session.outcome.rawValue, session.notes, session.recordedBy, now.timeIntervalSince1970])
    }

    /// A traveller's pre-departure orientation.
    static func recordOrientation(_ caseID: CaseID, _ traveller: TravellerID, _ session: OrientationInput, heldAt: Date, now: Date, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO intake_orientation (case_id, traveller_id, held_at, language, interpreter, topics, recorded_by, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [caseID.rawValue, traveller.rawValue, heldAt.timeIntervalSince1970, session.language, session.interpreter,
                             try StoredJSON.text(session.topics), session.recordedBy, now.timeIntervalSince1970])
    }

    /// Each traveller's latest orientation (the last held).
    static func latestOrientations(_ caseID: CaseID, in db: Database) throws -> [TravellerID: OrientationView] {
        var latest: [TravellerID: OrientationView] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: """
            SELECT traveller_id, held_at, language, interpreter, topics, recorded_by, recorded_at
            FROM intake_orientation WHERE case_id = ? ORDER BY held_at, id
            """), arguments: [caseID.rawValue]) {
            latest[TravellerID(row[0] as String)] = OrientationView(
                heldAt: Date(timeIntervalSince1970: row[1]), language: row[2], interpreter: row[3],
                topics: try StoredJSON.value([OrientationTopic].self, row[4]), recordedBy: row[5], recordedAt: Date(timeIntervalSince1970: row[6]))
        }
        return latest
    }

    static func counsellingSessions(_ caseID: CaseID, in db: Database) throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM intake_counselling WHERE case_id = ?"), arguments: [caseID.rawValue]) ?? 0
    }

    static func recordDecision(_ caseID: CaseID, _ decision: EligibilityDecision, status: CaseStatus, now: Date, in db: Database) throws {
        try db.cachedStatement(sql: """
            UPDATE intake_case SET eligible = ?, decision = hw_seal(?, 'intake_case.decision'), target_departure_by = ?, status = ?,
                ended_at = CASE WHEN ?4 = 'active' THEN NULL ELSE COALESCE(ended_at, ?5) END, updated_at = ?5 WHERE case_id = ?
            """).execute(arguments: [decision.eligible, try StoredJSON.text(decision), decision.targetDepartureBy?.timeIntervalSince1970,
                             status.rawValue, now.timeIntervalSince1970, caseID.rawValue])
    }

    static func recordDeclaration(_ caseID: CaseID, at declaredAt: Date, by: String, now: Date, in db: Database) throws {
        try update(caseID, set: "declared_at = ?, declaration_recorded_by = ?", [declaredAt.timeIntervalSince1970, by], now: now, in: db)
    }

    /// The case's corrected facts, sealed as at registration.
    static func correct(_ caseID: CaseID, _ facts: CasePersonalFacts, now: Date, in db: Database) throws {
        try update(caseID, set: """
            current_city = hw_seal(?, 'intake_case.current_city'), current_area = ?, immigration = hw_seal(?, 'intake_case.immigration'),
            vulnerabilities = hw_seal(?, 'intake_case.vulnerabilities')
            """, [facts.currentLocation.city, facts.currentLocation.area, try StoredJSON.text(facts.immigration),
                  try StoredJSON.text(facts.vulnerabilities ?? [])], now: now, in: db)
    }

    /// A traveller's corrected record, sealed as at registration, with the keyed hashes of
    /// the corrected names and date of birth (the old ones no longer find the case) and the
    /// ages at their activities (the 5W report's) from the corrected date of birth.
    static func correct(_ traveller: TravellerID, of caseID: CaseID, _ t: TravellerInput, role: FamilyRole, now: Date, in db: Database) throws {
        try db.cachedStatement(sql: """
            UPDATE intake_traveller SET family_role = :role, given_name = hw_seal(:given, 'intake_traveller.given_name'),
                family_name = hw_seal(:family, 'intake_traveller.family_name'), date_of_birth = hw_seal(:born, 'intake_traveller.date_of_birth'),
                sex = :sex, nationality = hw_seal(:nationality, 'intake_traveller.nationality'), languages = hw_seal(:languages, 'intake_traveller.languages'),
                travel_document_status = :documents, given_name_hash = hw_search(:given), family_name_hash = hw_search(:family),
                date_of_birth_hash = hw_search(:born)
            WHERE traveller_id = :id
            """).execute(arguments: [
                "id": traveller.rawValue, "role": role.rawValue, "given": t.givenName, "family": t.familyName, "born": t.dateOfBirth.description,
                "sex": t.sex.rawValue, "nationality": t.nationality, "languages": try StoredJSON.text(t.languages ?? []),
                "documents": t.travelDocumentStatus.rawValue,
            ])
        for at in try Double.fetchAll(db.cachedStatement(sql: "SELECT at FROM intake_activity WHERE traveller_id = ?"), arguments: [traveller.rawValue]) {
            try db.cachedStatement(sql: "UPDATE intake_activity SET age_years = ? WHERE traveller_id = ? AND at = ?").execute(arguments: [
                t.dateOfBirth.age(on: LocalDate.containing(Date(timeIntervalSince1970: at), in: .gmt)), traveller.rawValue, at])
        }
        try db.cachedStatement(sql: "UPDATE intake_case SET updated_at = ? WHERE case_id = ?").execute(arguments: [now.timeIntervalSince1970, caseID.rawValue])
    }

    static func markReadyForScreening(_ caseID: CaseID, now: Date, in db: Database) throws {
        try update(caseID, set: "ready_for_screening_at = ?, stage = ?", [now.timeIntervalSince1970, CaseStage.screening.rawValue], now: now, in: db)
    }

    /// A late entry announced ready: reintegration works it from here.
    static func markReadyForReintegration(_ caseID: CaseID, now: Date, in db: Database) throws {
        try update(caseID, set: "ready_for_reintegration_at = ?, stage = ?", [now.timeIntervalSince1970, CaseStage.reintegration.rawValue], now: now, in: db)
    }

    /// Withdrawn or revoked by staff.
    static func end(_ caseID: CaseID, as status: CaseStatus, now: Date, in db: Database) throws {
        try update(caseID, set: "status = ?, ended_at = ?", [status.rawValue, now.timeIntervalSince1970], now: now, in: db)
    }

    static func setStage(_ caseID: CaseID, _ stage: CaseStage, now: Date, in db: Database) throws {
        try update(caseID, set: "stage = ?", [stage.rawValue], now: now, in: db)
    }

    /// The family's first departure.
    static func markDeparted(_ caseID: CaseID, at departedAt: Date, now: Date, in db: Database) throws {
        try update(caseID, set: "departed_at = COALESCE(departed_at, ?)", [departedAt.timeIntervalSince1970], now: now, in: db)
    }

    /// Reintegration closed the case: it has ended.
    static func close(_ caseID: CaseID, now: Date, in db: Database) throws {
        try update(caseID, set: "status = ?, stage = ?, ended_at = COALESCE(ended_at, ?)",
                   [CaseStatus.closed.rawValue, CaseStage.closed.rawValue, now.timeIntervalSince1970], now: now, in: db)
    }

    private static func update(_ caseID: CaseID, set assignments: String, _ arguments: StatementArguments, now: Date, in db: Database) throws {
        try db.execute(sql: "UPDATE intake_case SET \(assignments), updated_at = ? WHERE case_id = ?",
                       arguments: arguments + [now.timeIntervalSince1970, caseID.rawValue])
    }

    /// Steps are kept to the nearest millisecond, as events carry their time: a step another
    /// service took in reply within the same millisecond then sorts after this one (by
    /// insertion), not before it by the fraction its event's time lost.
    static func appendTimeline(_ caseID: CaseID, at: Date, actor: String, step: String, outcome: String, eventID: EventID?, in db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO intake_timeline (case_id, at, actor, step, outcome, event_id) VALUES (?, ?, ?, ?, ?, ?)")
            .execute(arguments: [caseID.rawValue, (at.timeIntervalSince1970 * 1_000).rounded() / 1_000, actor, step, outcome, eventID?.rawValue])
    }

    /// A booking's latest status as travel's events tell it (they arrive in order: one topic).
    static func recordBooking(_ booking: BookingID, of caseID: CaseID, status: String, at: Date, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO intake_booking (booking_id, case_id, status, updated_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (booking_id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at
            """).execute(arguments: [booking.rawValue, caseID.rawValue, status, at.timeIntervalSince1970])
    }

    /// Records the age at the activity with it (UTC date), so that the 5W report needs no
    /// date of birth and still counts the person by age group after an erasure.
    static func recordActivity(_ caseID: CaseID, travellers: [TravellerID], sector: Sector, at: Date, in db: Database) throws {
        let day = LocalDate.containing(at, in: .gmt)
        for traveller in travellers {
            let born = try String.fetchOne(
                db.cachedStatement(sql: "SELECT hw_open(date_of_birth, 'intake_traveller.date_of_birth') FROM intake_traveller WHERE traveller_id = ?"),
                arguments: [traveller.rawValue]).flatMap { LocalDate($0) }
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO intake_activity (case_id, traveller_id, sector, at, age_years) VALUES (?, ?, ?, ?, ?)")
                .execute(arguments: [caseID.rawValue, traveller.rawValue, sector.rawValue, at.timeIntervalSince1970, born?.age(on: day)])
        }
    }

    /// Removes the case's personal data: names, dates of birth, nationality, languages and
    /// their keyed hashes; the current city, immigration facts, vulnerabilities and the
    /// eligibility decision; counsellors' notes; exceptions' reasons; the idempotency fingerprint of the referral. Kept: sex, family
    /// role, document status, area code, country and city of return, status, stage, the
    /// dates and steps of the timeline, consents as given (purpose, staff, time) and the
    /// age at each activity, which is what the 5W report counts. Without its hashes, the
    /// case is no longer found by name nor as a possible duplicate.
    /// Without a `reason` when erased again in a store restored from before (``ErasureLedger``).
    static func erase(_ caseID: CaseID, reason: ErasureReason?, now: Date, in db: Database) throws {
        try db.cachedStatement(sql: """
            UPDATE intake_traveller SET given_name = '', family_name = '', date_of_birth = '', nationality = '', languages = '',
                given_name_hash = NULL, family_name_hash = NULL, date_of_birth_hash = NULL
            WHERE case_id = ?
            """).execute(arguments: [caseID.rawValue])
        try db.cachedStatement(sql: """
            UPDATE intake_case SET current_city = '', immigration = '', vulnerabilities = '', decision = NULL, erased_at = ?, erasure_reason = ?,
                updated_at = ? WHERE case_id = ?
            """).execute(arguments: [now.timeIntervalSince1970, reason?.rawValue, now.timeIntervalSince1970, caseID.rawValue])
        try db.cachedStatement(sql: "DELETE FROM intake_idempotency WHERE case_id = ?").execute(arguments: [caseID.rawValue])
        try db.cachedStatement(sql: "UPDATE intake_counselling SET notes = '' WHERE case_id = ? AND notes IS NOT NULL").execute(arguments: [caseID.rawValue])
        try db.cachedStatement(sql: "UPDATE intake_exception SET reason = '' WHERE case_id = ?").execute(arguments: [caseID.rawValue])
    }

    /// Ended cases (closed, withdrawn, revoked, not eligible) not yet erased, that ended
    /// before `before`, oldest first.
    static func endedBefore(_ before: Date, limit: Int, in db: Database) throws -> [CaseID] {
        try String.fetchAll(db.cachedStatement(sql: """
            SELECT case_id FROM intake_case WHERE erased_at IS NULL AND ended_at IS NOT NULL AND ended_at < ? ORDER BY ended_at LIMIT ?
            """), arguments: [before.timeIntervalSince1970, limit]).map { CaseID($0) }
    }

    /// Active cases not yet departed whose last timeline step is older than `before`,
    /// quietest first.
    static func activeWithoutStepSince(_ before: Date, limit: Int, in db: Database) throws -> [CaseID] {
        try String.fetchAll(db.cachedStatement(sql: """
            SELECT c.case_id FROM intake_case c JOIN intake_timeline t ON t.case_id = c.case_id
            WHERE c.status = 'active' AND c.departed_at IS NULL
            GROUP BY c.case_id HAVING MAX(t.at) < ? ORDER BY MAX(t.at) LIMIT ?
            """), arguments: [before.timeIntervalSince1970, limit]).map { CaseID($0) }
    }

    // MARK: Reading

    /// The state the workflow decides on.
    struct CaseState {
        var caseID: CaseID
        var programmeID: String
        var status: CaseStatus
        var stage: CaseStage
        var referredAt: Date
        var firstContactAt: Date
        var currentArea: String
        var returnCountry: String
        var returnCity: String?
        var immigration: ImmigrationFacts
        var eligible: Bool?
        var declaredAt: Date?
        var readyForScreeningAt: Date?
        var lateEntry: LateEntry?
        var readyForReintegrationAt: Date?
        var departedAt: Date?
        var erasedAt: Date?
    }

    static func state(_ caseID: CaseID, in db: Database) throws -> CaseState? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT programme_id, status, stage, referred_at, first_contact_at, current_area, return_country, return_city,
                   hw_open(immigration, 'intake_case.immigration'), eligible, declared_at, ready_for_screening_at, departed_at, erased_at,
                   late_entry_returned_on, late_entry_reason, ready_for_reintegration_at
            FROM intake_case WHERE case_id = ?
            """), arguments: [caseID.rawValue]) else { return nil }
        return CaseState(
            caseID: caseID, programmeID: row[0], status: CaseStatus(rawValue: row[1]) ?? .active, stage: CaseStage(rawValue: row[2]) ?? .intake,
            referredAt: Date(timeIntervalSince1970: row[3]), firstContactAt: Date(timeIntervalSince1970: row[4]), currentArea: row[5],
            returnCountry: row[6], returnCity: row[7], immigration: try StoredJSON.erasable(ImmigrationFacts.self, row[8]) ?? .erased, eligible: row[9],
            declaredAt: (row[10] as Double?).map(Date.init(timeIntervalSince1970:)),
            readyForScreeningAt: (row[11] as Double?).map(Date.init(timeIntervalSince1970:)),
            lateEntry: lateEntry(row, from: 14), readyForReintegrationAt: (row[16] as Double?).map(Date.init(timeIntervalSince1970:)),
            departedAt: (row[12] as Double?).map(Date.init(timeIntervalSince1970:)),
            erasedAt: (row[13] as Double?).map(Date.init(timeIntervalSince1970:)))
    }

    /// The case's facts a correction patches; refused once erased.
    static func personalFacts(_ caseID: CaseID, in db: Database) throws -> CasePersonalFacts {
        let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT hw_open(current_city, 'intake_case.current_city'), current_area, hw_open(immigration, 'intake_case.immigration'),
                   hw_open(vulnerabilities, 'intake_case.vulnerabilities')
            FROM intake_case WHERE case_id = ?
            """), arguments: [caseID.rawValue])
        guard let row, let city = present(row[0]), let immigration = try StoredJSON.erasable(ImmigrationFacts.self, row[2]) else {
            throw IntakeRefusal.caseErased
        }
        return CasePersonalFacts(currentLocation: Location(city: city, area: row[1]), immigration: immigration,
                                 vulnerabilities: try StoredJSON.erasable([Vulnerability].self, row[3]))
    }

    /// The late entry in columns `from` (day of return) and `from + 1` (reason), if any.
    private static func lateEntry(_ row: Row, from index: Int) -> LateEntry? {
        guard let day = (row[index] as String?).flatMap(LocalDate.init), let reason = (row[index + 1] as String?).flatMap(LateEntryReason.init) else {
            return nil
        }
        return LateEntry(returnedOn: day, reason: reason)
    }

    static func travellers(_ caseID: CaseID, in db: Database) throws -> [TravellerView] {
        let orientations = try latestOrientations(caseID, in: db)
        return try Row.fetchAll(db.cachedStatement(sql: """
            SELECT traveller_id, family_role, hw_open(given_name, 'intake_traveller.given_name'), hw_open(family_name, 'intake_traveller.family_name'),
                   hw_open(date_of_birth, 'intake_traveller.date_of_birth'), sex, hw_open(nationality, 'intake_traveller.nationality'),
                   hw_open(languages, 'intake_traveller.languages'), travel_document_status
            FROM intake_traveller WHERE case_id = ? ORDER BY position
            """), arguments: [caseID.rawValue]).map { row in
            TravellerView(
                travellerID: TravellerID(row[0] as String), familyRole: FamilyRole(rawValue: row[1]) ?? .otherRelative,
                givenName: present(row[2]), familyName: present(row[3]), dateOfBirth: present(row[4]).flatMap { LocalDate($0) },
                sex: Sex(rawValue: row[5]) ?? .other, nationality: present(row[6]), languages: try StoredJSON.erasable([String].self, row[7]),
                travelDocumentStatus: TravelDocumentStatus(rawValue: row[8]) ?? .missing,
                healthRecord: RelatedResource(service: .healthScreening, path: "/travellers/\(row[0] as String)"),
                orientation: orientations[TravellerID(row[0] as String)])
        }
    }

    /// The latest consent per purpose.
    static func consents(_ caseID: CaseID, in db: Database) throws -> [ConsentView] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT purpose, granted, recorded_by, recorded_at FROM intake_consent c
            WHERE case_id = ? AND id = (SELECT MAX(id) FROM intake_consent WHERE case_id = c.case_id AND purpose = c.purpose)
            ORDER BY purpose
            """), arguments: [caseID.rawValue]).compactMap { row in
            ConsentPurpose(rawValue: row[0]).map {
                ConsentView(purpose: $0, granted: row[1], recordedBy: row[2], recordedAt: Date(timeIntervalSince1970: row[3]))
            }
        }
    }

    /// The latest exception per purpose.
    static func exceptions(_ caseID: CaseID, in db: Database) throws -> [ExceptionView] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT purpose, legal_basis, hw_open(reason, 'intake_exception.reason'), valid_until, recorded_by, recorded_at, withdrawn_by, withdrawn_at
            FROM intake_exception e
            WHERE case_id = ? AND id = (SELECT MAX(id) FROM intake_exception WHERE case_id = e.case_id AND purpose = e.purpose)
            ORDER BY purpose
            """), arguments: [caseID.rawValue]).compactMap { row in
            guard let purpose = ConsentPurpose(rawValue: row[0]), let basis = ExceptionBasis(rawValue: row[1]) else { return nil }
            return ExceptionView(purpose: purpose, legalBasis: basis, reason: present(row[2]), validUntil: (row[3] as Double?).map(Date.init(timeIntervalSince1970:)),
                                 recordedBy: row[4], recordedAt: Date(timeIntervalSince1970: row[5]), withdrawnBy: row[6],
                                 withdrawnAt: (row[7] as Double?).map(Date.init(timeIntervalSince1970:)))
        }
    }

    /// The case's counselling sessions in the order they were held.
    static func counselling(_ caseID: CaseID, in db: Database) throws -> [CounsellingView] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT held_at, mode, language, interpreter, topics, outcome, hw_open(notes, 'intake_counselling.notes'), counsellor, recorded_at
            FROM intake_counselling WHERE case_id = ? ORDER BY held_at, id
            """), arguments: [caseID.rawValue]).map { row in
            CounsellingView(heldAt: Date(timeIntervalSince1970: row[0]), mode: CounsellingMode(rawValue: row[1]) ?? .inPerson, language: row[2],
                            interpreter: row[3], topics: try StoredJSON.value([CounsellingTopic].self, row[4]),
                            outcome: CounsellingOutcome(rawValue: row[5]) ?? .undecided, notes: present(row[6]), counsellor: row[7],
                            recordedAt: Date(timeIntervalSince1970: row[8]))
        }
    }

    static func view(_ caseID: CaseID, in db: Database) throws -> CaseView? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT programme_id, status, stage, referring_authority, referred_at, first_contact_at, registered_at,
                   hw_open(current_city, 'intake_case.current_city'), current_area, return_country, return_city,
                   hw_open(immigration, 'intake_case.immigration'), hw_open(vulnerabilities, 'intake_case.vulnerabilities'),
                   hw_open(decision, 'intake_case.decision'), target_departure_by, declared_at, declaration_recorded_by, ready_for_screening_at,
                   erased_at, erasure_reason, late_entry_returned_on, late_entry_reason, ready_for_reintegration_at
            FROM intake_case WHERE case_id = ?
            """), arguments: [caseID.rawValue]) else { return nil }
        let timeline = try Row.fetchAll(db.cachedStatement(sql: "SELECT at, actor, step, outcome FROM intake_timeline WHERE case_id = ? ORDER BY at, id"),
                                        arguments: [caseID.rawValue]).map {
            TimelineEntry(at: Date(timeIntervalSince1970: $0[0]), actor: $0[1], step: $0[2], outcome: $0[3])
        }
        let declaredAt = (row[15] as Double?).map(Date.init(timeIntervalSince1970:))
        var view = CaseView(
            caseID: caseID, programmeID: row[0], status: CaseStatus(rawValue: row[1]) ?? .active, stage: CaseStage(rawValue: row[2]) ?? .intake,
            referringAuthority: row[3], referredAt: Date(timeIntervalSince1970: row[4]), firstContactAt: Date(timeIntervalSince1970: row[5]),
            registeredAt: Date(timeIntervalSince1970: row[6]), currentLocation: CaseView.CurrentLocation(city: present(row[7]), area: row[8]),
            returnCountry: row[9], returnCity: row[10], immigration: try StoredJSON.erasable(ImmigrationFacts.self, row[11]),
            vulnerabilities: try StoredJSON.erasable([Vulnerability].self, row[12]), travellers: try travellers(caseID, in: db),
            consents: try consents(caseID, in: db), exceptions: try exceptions(caseID, in: db),
            declaration: declaredAt.map { DeclarationView(declaredAt: $0, recordedBy: row[16] ?? "") },
            counselling: try counselling(caseID, in: db),
            eligibility: try StoredJSON.erasable(EligibilityDecision.self, row[13]),
            targetDepartureBy: (row[14] as Double?).map(Date.init(timeIntervalSince1970:)),
            readyForScreeningAt: (row[17] as Double?).map(Date.init(timeIntervalSince1970:)),
            lateEntry: lateEntry(row, from: 20), readyForReintegrationAt: (row[22] as Double?).map(Date.init(timeIntervalSince1970:)),
            timeline: timeline,
            links: CaseLinks(caseID, bookings: try Row.fetchAll(db.cachedStatement(sql: "SELECT booking_id, status FROM intake_booking WHERE case_id = ? ORDER BY rowid"),
                                                                arguments: [caseID.rawValue]).map { (BookingID($0[0] as String), $0[1]) }),
            erased: (row[18] as Double?) != nil, erasedAt: (row[18] as Double?).map(Date.init(timeIntervalSince1970:)),
            erasureReason: (row[19] as String?).flatMap { ErasureReason(rawValue: $0) })
        if view.erased {
            let confirmed = Set(timeline.filter { $0.step == ErasureConfirmation.step }.map(\.actor))
            view.erasureConfirmedBy = ErasureConfirmation.services.filter(confirmed.contains)
            view.erasureAwaitedFrom = ErasureConfirmation.services.filter { !confirmed.contains($0) }
        }
        return view
    }

    // MARK: Idempotency

    static func exists(_ caseID: CaseID, in db: Database) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM intake_case WHERE case_id = ?"), arguments: [caseID.rawValue]) ?? false
    }

    /// The request is kept only as a keyed digest (`hw_digest`): a referral's body names
    /// the family. A digest under any configured key matches, so a retry survives a rotation.
    static func idempotentCase(key: String, request: String, in db: Database) throws -> CaseID?? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT request_hash IN (SELECT value FROM json_each(hw_digest_all(?))), case_id FROM intake_idempotency WHERE key = ?
            """), arguments: [request, key]) else {
            return nil
        }
        return (row[0] as Bool) ? .some(CaseID(row[1] as String)) : .some(nil)
    }

    static func rememberIdempotency(key: String, request: String, caseID: CaseID, now: Date, in db: Database) throws {
        try db.execute(sql: "INSERT INTO intake_idempotency (key, request_hash, case_id, created_at) VALUES (?, hw_digest(?), ?, ?)",
                       arguments: [key, request, caseID.rawValue, now.timeIntervalSince1970])
    }

    // MARK: Sealed values

    /// A sealed text column as read: nil once erased (`''`).
    static func present(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}
