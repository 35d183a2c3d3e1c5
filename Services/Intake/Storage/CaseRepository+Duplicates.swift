import Foundation
import GRDB
import HomewardModel
import IntakeAPI

extension CaseRepository {
    /// A traveller as the possible-duplicate check compares them: the keyed hashes of the
    /// given name, family name and date of birth under every configured key (JSON arrays,
    /// as `hw_search_all` gives them), so that rows hashed before a key rotation match too.
    /// Hashes only: this is what crosses partition stores.
    struct PersonHashes: Codable, Sendable, Equatable {
        var givenName: String
        var familyName: String
        var dateOfBirth: String
    }

    /// An open case found by the check, with what orders the answer.
    struct OpenCase: Codable, Sendable, Equatable {
        var caseID: CaseID
        var registeredAt: Date
    }

    /// A referral's travellers, hashed as the stored ones are (``insert(_:caseID:travellerIDs:now:in:)``).
    static func personHashes(of travellers: [TravellerInput], in db: Database) throws -> [PersonHashes] {
        try travellers.compactMap { traveller in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT hw_search_all(?), hw_search_all(?), hw_search_all(?)"),
                             arguments: [traveller.givenName, traveller.familyName, traveller.dateOfBirth.description])
                .map { PersonHashes(givenName: $0[0], familyName: $0[1], dateOfBirth: $0[2]) }
        }
    }

    /// A case's travellers, hashed from their sealed values; none once the case is erased
    /// (its values are `''`); nil when there is no such case.
    static func personHashes(of caseID: CaseID, in db: Database) throws -> [PersonHashes]? {
        guard try exists(caseID, in: db) else { return nil }
        return try Row.fetchAll(db.cachedStatement(sql: """
            SELECT hw_search_all(hw_open(given_name, 'intake_traveller.given_name')),
                   hw_search_all(hw_open(family_name, 'intake_traveller.family_name')),
                   hw_search_all(hw_open(date_of_birth, 'intake_traveller.date_of_birth'))
            FROM intake_traveller WHERE case_id = ? AND date_of_birth <> '' ORDER BY position
            """), arguments: [caseID.rawValue]).map { PersonHashes(givenName: $0[0], familyName: $0[1], dateOfBirth: $0[2]) }
    }

    /// Open cases (active and not erased) other than `caseID` with a traveller who may be
    /// one of `people`: the same date of birth, and the same given and family names either
    /// way round (documents and registrations often swap them). An erased traveller's
    /// hashes are NULL, so an erased case never matches.
    static func openCases(matching people: [PersonHashes], besides caseID: CaseID, in db: Database) throws -> [OpenCase] {
        var found: [CaseID: Date] = [:]
        for person in people {
            let rows = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT DISTINCT c.case_id, c.registered_at FROM intake_traveller t JOIN intake_case c ON c.case_id = t.case_id
                WHERE t.date_of_birth_hash IN (SELECT value FROM json_each(:born))
                  AND ((t.given_name_hash IN (SELECT value FROM json_each(:given)) AND t.family_name_hash IN (SELECT value FROM json_each(:family)))
                    OR (t.given_name_hash IN (SELECT value FROM json_each(:family)) AND t.family_name_hash IN (SELECT value FROM json_each(:given))))
                  AND c.status = :active AND c.erased_at IS NULL AND c.case_id <> :case
                """), arguments: [
                    "born": person.dateOfBirth, "given": person.givenName, "family": person.familyName,
                    "active": CaseStatus.active.rawValue, "case": caseID.rawValue,
                ])
            for row in rows { found[CaseID(row[0] as String)] = Date(timeIntervalSince1970: row[1]) }
        }
        return found.map { OpenCase(caseID: $0.key, registeredAt: $0.value) }
    }
}
