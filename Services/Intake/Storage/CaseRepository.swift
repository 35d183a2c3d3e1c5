import Foundation
import GRDB
import HomewardModel

/// Reads and writes intake's tables inside the caller's transaction.
enum CaseRepository {
    static let encoder: JSONEncoder = {
        let encoder = EventCoding.encoder()
        return encoder
    }()
    static let decoder = EventCoding.decoder()

    static func json<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func value<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try decoder.decode(type, from: Data(text.utf8))
    }

    // MARK: Writing

    static func insert(_ r: ReferralRequest, caseID: CaseID, travellerIDs: [TravellerID], now: Date, in db: Database) throws {
        try db.execute(sql: """
            INSERT INTO intake_case (case_id, programme_id, referring_authority, referred_at, first_contact_at, registered_at,
                registered_by, current_city, current_area, return_country, return_city, immigration, vulnerabilities,
                status, stage, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [
                caseID.rawValue, r.programmeID, r.referringAuthority, r.referredAt.timeIntervalSince1970,
                r.firstContactAt.timeIntervalSince1970, now.timeIntervalSince1970, r.recordedBy, r.currentLocation.city,
                r.currentLocation.area, r.returnCountry, r.returnCity, try json(r.immigration), try json(r.vulnerabilities ?? []),
                CaseStatus.active.rawValue, CaseStage.intake.rawValue, now.timeIntervalSince1970,
            ])
        for (position, (traveller, id)) in zip([r.principal] + (r.dependants ?? []), travellerIDs).enumerated() {
            try db.execute(sql: """
                INSERT INTO intake_traveller (traveller_id, case_id, position, family_role, given_name, family_name, date_of_birth,
                    sex, nationality, languages, travel_document_status)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [
                    id.rawValue, caseID.rawValue, position, (position == 0 ? FamilyRole.principal : traveller.relationship ?? .otherRelative).rawValue,
                    traveller.givenName, traveller.familyName, traveller.dateOfBirth.description, traveller.sex.rawValue,
                    traveller.nationality, try json(traveller.languages ?? []), traveller.travelDocumentStatus.rawValue,
                ])
        }
    }

    static func recordConsent(_ caseID: CaseID, purpose: ConsentPurpose, granted: Bool, by: String, at: Date, in db: Database) throws {
        try db.execute(sql: "INSERT INTO intake_consent (case_id, purpose, granted, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?)",
                       arguments: [caseID.rawValue, purpose.rawValue, granted, by, at.timeIntervalSince1970])
    }

    static func recordDecision(_ caseID: CaseID, _ decision: EligibilityDecision, status: CaseStatus, now: Date, in db: Database) throws {
        try db.execute(sql: """
            UPDATE intake_case SET eligible = ?, decision = ?, target_departure_by = ?, status = ?, updated_at = ? WHERE case_id = ?
            """, arguments: [decision.eligible, try json(decision), decision.targetDepartureBy?.timeIntervalSince1970,
                             status.rawValue, now.timeIntervalSince1970, caseID.rawValue])
    }

    static func update(_ caseID: CaseID, set assignments: String, _ arguments: StatementArguments, now: Date, in db: Database) throws {
        try db.execute(sql: "UPDATE intake_case SET \(assignments), updated_at = ? WHERE case_id = ?",
                       arguments: arguments + [now.timeIntervalSince1970, caseID.rawValue])
    }

    static func appendTimeline(_ caseID: CaseID, at: Date, actor: String, step: String, outcome: String, eventID: EventID?, in db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO intake_timeline (case_id, at, actor, step, outcome, event_id) VALUES (?, ?, ?, ?, ?, ?)")
            .execute(arguments: [caseID.rawValue, at.timeIntervalSince1970, actor, step, outcome, eventID?.rawValue])
    }

    static func recordActivity(_ caseID: CaseID, travellers: [TravellerID], sector: Sector, at: Date, in db: Database) throws {
        for traveller in travellers {
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO intake_activity (case_id, traveller_id, sector, at) VALUES (?, ?, ?, ?)")
                .execute(arguments: [caseID.rawValue, traveller.rawValue, sector.rawValue, at.timeIntervalSince1970])
        }
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
        var departedAt: Date?
    }

    static func state(_ caseID: CaseID, in db: Database) throws -> CaseState? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT programme_id, status, stage, referred_at, first_contact_at, current_area, return_country, return_city, immigration,
                   eligible, declared_at, ready_for_screening_at, departed_at
            FROM intake_case WHERE case_id = ?
            """, arguments: [caseID.rawValue]) else { return nil }
        return CaseState(
            caseID: caseID, programmeID: row[0], status: CaseStatus(rawValue: row[1]) ?? .active, stage: CaseStage(rawValue: row[2]) ?? .intake,
            referredAt: Date(timeIntervalSince1970: row[3]), firstContactAt: Date(timeIntervalSince1970: row[4]), currentArea: row[5],
            returnCountry: row[6], returnCity: row[7], immigration: try value(ImmigrationFacts.self, from: row[8]), eligible: row[9],
            declaredAt: (row[10] as Double?).map(Date.init(timeIntervalSince1970:)),
            readyForScreeningAt: (row[11] as Double?).map(Date.init(timeIntervalSince1970:)),
            departedAt: (row[12] as Double?).map(Date.init(timeIntervalSince1970:)))
    }

    static func travellers(_ caseID: CaseID, in db: Database) throws -> [TravellerView] {
        try Row.fetchAll(db, sql: """
            SELECT traveller_id, family_role, given_name, family_name, date_of_birth, sex, nationality, languages, travel_document_status
            FROM intake_traveller WHERE case_id = ? ORDER BY position
            """, arguments: [caseID.rawValue]).map { row in
            TravellerView(
                travellerID: TravellerID(row[0] as String), familyRole: FamilyRole(rawValue: row[1]) ?? .otherRelative,
                givenName: row[2], familyName: row[3], dateOfBirth: LocalDate(row[4] as String)!, sex: Sex(rawValue: row[5]) ?? .other,
                nationality: row[6], languages: try value([String].self, from: row[7]),
                travelDocumentStatus: TravelDocumentStatus(rawValue: row[8]) ?? .missing)
        }
    }

    /// The latest consent per purpose.
    static func consents(_ caseID: CaseID, in db: Database) throws -> [ConsentView] {
        try Row.fetchAll(db, sql: """
            SELECT purpose, granted, recorded_by, recorded_at FROM intake_consent c
            WHERE case_id = ? AND id = (SELECT MAX(id) FROM intake_consent WHERE case_id = c.case_id AND purpose = c.purpose)
            ORDER BY purpose
            """, arguments: [caseID.rawValue]).compactMap { row in
            ConsentPurpose(rawValue: row[0]).map {
                ConsentView(purpose: $0, granted: row[1], recordedBy: row[2], recordedAt: Date(timeIntervalSince1970: row[3]))
            }
        }
    }

    static func view(_ caseID: CaseID, in db: Database) throws -> CaseView? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT programme_id, status, stage, referring_authority, referred_at, first_contact_at, registered_at, current_city,
                   current_area, return_country, return_city, immigration, vulnerabilities, decision, target_departure_by,
                   declared_at, declaration_recorded_by, ready_for_screening_at
            FROM intake_case WHERE case_id = ?
            """, arguments: [caseID.rawValue]) else { return nil }
        let timeline = try Row.fetchAll(db, sql: "SELECT at, actor, step, outcome FROM intake_timeline WHERE case_id = ? ORDER BY at, id",
                                        arguments: [caseID.rawValue]).map {
            TimelineEntry(at: Date(timeIntervalSince1970: $0[0]), actor: $0[1], step: $0[2], outcome: $0[3])
        }
        let declaredAt = (row[15] as Double?).map(Date.init(timeIntervalSince1970:))
        return CaseView(
            caseID: caseID, programmeID: row[0], status: CaseStatus(rawValue: row[1]) ?? .active, stage: CaseStage(rawValue: row[2]) ?? .intake,
            referringAuthority: row[3], referredAt: Date(timeIntervalSince1970: row[4]), firstContactAt: Date(timeIntervalSince1970: row[5]),
            registeredAt: Date(timeIntervalSince1970: row[6]), currentLocation: Location(city: row[7], area: row[8]),
            returnCountry: row[9], returnCity: row[10], immigration: try value(ImmigrationFacts.self, from: row[11]),
            vulnerabilities: try value([Vulnerability].self, from: row[12]), travellers: try travellers(caseID, in: db),
            consents: try consents(caseID, in: db),
            declaration: declaredAt.map { DeclarationView(declaredAt: $0, recordedBy: row[16] ?? "") },
            eligibility: try (row[13] as String?).map { try value(EligibilityDecision.self, from: $0) },
            targetDepartureBy: (row[14] as Double?).map(Date.init(timeIntervalSince1970:)),
            readyForScreeningAt: (row[17] as Double?).map(Date.init(timeIntervalSince1970:)),
            timeline: timeline)
    }

    // MARK: Idempotency

    static func idempotentCase(key: String, requestHash: String, in db: Database) throws -> CaseID?? {
        guard let row = try Row.fetchOne(db, sql: "SELECT request_hash, case_id FROM intake_idempotency WHERE key = ?", arguments: [key]) else {
            return nil
        }
        return (row[0] as String) == requestHash ? .some(CaseID(row[1] as String)) : .some(nil)
    }

    static func rememberIdempotency(key: String, requestHash: String, caseID: CaseID, now: Date, in db: Database) throws {
        try db.execute(sql: "INSERT INTO intake_idempotency (key, request_hash, case_id, created_at) VALUES (?, ?, ?, ?)",
                       arguments: [key, requestHash, caseID.rawValue, now.timeIntervalSince1970])
    }
}
