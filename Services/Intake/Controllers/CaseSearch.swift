import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import Hummingbird

/// Filters of the case list, from the query string; unknown values are refused by name.
struct CaseFilter {
    /// The query parameters `GET /cases` takes.
    static let parameters: Set<String> = ["status", "stage", "returnCountry", "programme", "deadlineBefore", "familyName", "givenName",
                                          "dateOfBirth", "limit", "offset", "after"]

    var status: CaseStatus?
    var stage: CaseStage?
    var returnCountry: String?
    var programmeID: String?
    /// Cases whose target departure is before this instant.
    var deadlineBefore: Date?
    /// Exact match on a traveller of the case (keyed hashes; case, accents and spacing
    /// ignored); together they must hold for the same traveller.
    var familyName: String?
    var givenName: String?
    var dateOfBirth: LocalDate?
    var limit = 50
    var offset = 0
    /// Where the previous page ended (`next` of its answer): a page that follows it has
    /// neither gaps nor repeats while cases are registered.
    var after: CaseCursor?

    init(_ query: Hummingbird.Parameters) throws {
        func invalid(_ name: String, _ detail: String) -> Problem {
            Problem(status: .badRequest, rule: "invalid-query", field: name, detail: detail)
        }
        if let text = query["status"] {
            guard let value = CaseStatus(rawValue: String(text)) else {
                throw invalid("status", "one of \(CaseStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            status = value
        }
        if let text = query["stage"] {
            guard let value = CaseStage(rawValue: String(text)) else {
                throw invalid("stage", "one of \(CaseStage.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            stage = value
        }
        returnCountry = query["returnCountry"].map { $0.uppercased() }  // ISO 3166 codes, whatever case they are sent in
        programmeID = query["programme"].map(String.init)
        if let text = query["deadlineBefore"] {
            guard let date = Instant.parse(String(text)) else { throw invalid("deadlineBefore", "an RFC 3339 instant") }
            deadlineBefore = date
        }
        func name(_ key: String) throws -> String? {
            guard let text = query[Substring(key)].map(String.init) else { return nil }
            guard !text.trimmingCharacters(in: .whitespaces).isEmpty, text.count <= 200 else { throw invalid(key, "a name of 1 to 200 characters") }
            return text
        }
        familyName = try name("familyName")
        givenName = try name("givenName")
        if let text = query["dateOfBirth"] {
            guard let date = LocalDate(String(text)) else { throw invalid("dateOfBirth", "a date, YYYY-MM-DD") }
            dateOfBirth = date
        }
        if let text = query["limit"] {
            guard let n = Int(text), (1...500).contains(n) else { throw invalid("limit", "a whole number from 1 to 500") }
            limit = n
        }
        if let text = query["offset"] {
            guard let n = Int(text), n >= 0 else { throw invalid("offset", "a whole number from 0") }
            offset = n
        }
        if let text = query["after"] {
            guard let cursor = CaseCursor(String(text)) else { throw invalid("after", "the 'next' of a previous page, as given") }
            after = cursor
        }
    }

    init() {}
}

struct CaseList: Codable, ResponseEncodable {
    var total: Int
    var cases: [CaseSummary]
    /// `after` for the next page; absent on the last.
    var next: String?
}

/// A position in the case list (newest registration first, then case id): opaque to
/// clients, base64url of `<registered_at>|<case id>`.
struct CaseCursor: Sendable {
    var registeredAt: Double
    var caseID: String

    init(registeredAt: Double, caseID: String) {
        self.registeredAt = registeredAt
        self.caseID = caseID
    }

    init?(_ text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let plain = String(data: data, encoding: .utf8),
              let bar = plain.firstIndex(of: "|"), let at = Double(plain[..<bar]), at.isFinite else { return nil }
        self.init(registeredAt: at, caseID: String(plain[plain.index(after: bar)...]))
    }

    var text: String {
        Data("\(registeredAt)|\(caseID)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Whether `a` comes before `b` in the list.
    static func precedes(_ a: CaseSummary, _ b: CaseSummary) -> Bool {
        let (x, y) = (a.registeredAt.timeIntervalSince1970, b.registeredAt.timeIntervalSince1970)
        return x != y ? x > y : a.caseID.rawValue < b.caseID.rawValue
    }
}

/// The case list, newest registration first, on indexed columns; each partition store
/// gives its first `offset + limit` matches and ``merge(_:filter:)`` takes the page. A search by name or date
/// of birth compares keyed hashes (`hw_search_all`: under every configured key, so rows
/// hashed before a rotation match too): the names themselves are sealed.
enum CaseSearch {
    static func run(_ filter: CaseFilter, in db: Database) throws -> CaseList {
        var clauses: [String] = []
        var arguments: StatementArguments = []
        if let status = filter.status { clauses.append("status = ?"); arguments += [status.rawValue] }
        if let stage = filter.stage { clauses.append("stage = ?"); arguments += [stage.rawValue] }
        if let country = filter.returnCountry { clauses.append("return_country = ?"); arguments += [country] }
        if let programme = filter.programmeID { clauses.append("programme_id = ?"); arguments += [programme] }
        if let deadline = filter.deadlineBefore { clauses.append("target_departure_by < ?"); arguments += [deadline.timeIntervalSince1970] }
        var person: [String] = []
        for (column, value) in [("family_name_hash", filter.familyName), ("given_name_hash", filter.givenName),
                                ("date_of_birth_hash", filter.dateOfBirth?.description)] {
            guard let value else { continue }
            person.append("t.\(column) IN (SELECT value FROM json_each(hw_search_all(?)))")
            arguments += [value]
        }
        if !person.isEmpty {
            clauses.append("case_id IN (SELECT t.case_id FROM intake_traveller t WHERE \(person.joined(separator: " AND ")))")
        }
        let whereClause = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM intake_case \(whereClause)", arguments: arguments) ?? 0
        if let after = filter.after {
            clauses.append("(registered_at < ? OR (registered_at = ? AND case_id > ?))")
            arguments += [after.registeredAt, after.registeredAt, after.caseID]
        }
        let pageClause = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        let rows = try Row.fetchAll(db, sql: """
            SELECT c.case_id, programme_id, status, stage, return_country, registered_at, target_departure_by,
                   (SELECT COUNT(*) FROM intake_traveller t WHERE t.case_id = c.case_id)
            FROM intake_case c \(pageClause) ORDER BY registered_at DESC, case_id LIMIT ?
            """, arguments: arguments + [filter.offset.addingReportingOverflow(filter.limit).overflow ? Int.max : filter.offset + filter.limit])
        return CaseList(total: total, cases: rows.map { row in
            CaseSummary(
                caseID: CaseID(row[0] as String), programmeID: row[1], status: CaseStatus(rawValue: row[2]) ?? .active,
                stage: CaseStage(rawValue: row[3]) ?? .intake, returnCountry: row[4], travellers: row[7],
                registeredAt: Date(timeIntervalSince1970: row[5]), targetDepartureBy: (row[6] as Double?).map(Date.init(timeIntervalSince1970:)))
        })
    }
}

extension CaseSearch {
    /// The page `filter` asks for, from every partition store's first matches.
    static func merge(_ lists: [CaseList], filter: CaseFilter) -> CaseList {
        let sorted = lists.flatMap(\.cases).sorted(by: CaseCursor.precedes)
        let page = Array(sorted.dropFirst(filter.offset).prefix(filter.limit))
        let next = page.count == filter.limit ? page.last.map { CaseCursor(registeredAt: $0.registeredAt.timeIntervalSince1970, caseID: $0.caseID.rawValue).text } : nil
        return CaseList(total: lists.reduce(0) { $0 + $1.total }, cases: page, next: next)
    }
}
