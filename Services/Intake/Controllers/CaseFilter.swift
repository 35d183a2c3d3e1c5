import Foundation
import GRDB
import HomewardModel
public import HomewardRuntime
import Hummingbird
import IntakeAPI

/// Filters of the case list, from the query string; unknown values are refused by name.
struct CaseFilter {
    /// The query parameters `GET /cases` takes.
    static let parameters = Set(["status", "stage", "returnCountry", "programme", "deadlineBefore", "familyName", "givenName",
                                "dateOfBirth", "erasure"]).union(PageRequest.parameters)

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
    /// `erasure=unconfirmed`: erased cases that a service has not yet confirmed erasing
    /// (``ErasureConfirmation``), for supervisors to follow up.
    var erasureUnconfirmed = false
    /// Newest registration first; a page that follows the previous one's `next` has
    /// neither gaps nor repeats while cases are registered.
    var page = PageRequest(limit: 50)

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
        if let text = query["erasure"] {
            guard text == "unconfirmed" else { throw invalid("erasure", "unconfirmed") }
            erasureUnconfirmed = true
        }
        page = try PageRequest(query, shape: { $0.parts.count == 2 && $0.number(0) != nil && $0.text(1) != nil })
    }

    init() {}
}

extension CaseList: PagedList {
    /// The list's order: newest registration first, then case id.
    static func key(_ summary: CaseSummary) -> PageKey {
        PageKey(.number(-summary.registeredAt.timeIntervalSince1970), .text(summary.caseID.rawValue))
    }
}

extension CaseList {
    /// The page `filter` asks for, from every partition store's first matches.
    static func merge(_ lists: [CaseList], filter: CaseFilter) -> CaseList {
        let page = filter.page.page(of: lists.flatMap(\.cases), key: CaseList.key)
        return CaseList(total: lists.reduce(0) { $0 + $1.total }, cases: page.items, next: page.next)
    }
}
