public import Foundation

/// What one service holds on a case's person and family, as
/// `GET /cases/{caseID}/subject-export` answers it to a data-protection officer (IOM data
/// protection principles 7 and 11: a person may know what is held about them).
///
/// One section per table of the service's store that names the case, the audit trail of
/// the case in this service included: each row column by column as stored, sealed columns
/// opened, instants as UTC text, money in minor units beside its currency, JSON kept as
/// JSON. A document's bytes are not inline: its row gives their path (`content`), size and
/// SHA-256.
public struct SubjectExportPart: Codable, Sendable, Equatable {
    /// The service whose store this is.
    public var service: ServiceName
    public var caseID: CaseID
    /// Who asked (the token's subject) and when the store was read.
    public var requestedBy: String
    public var exportedAt: Date
    /// When the case's personal data was erased here: what is left are figures and steps.
    public var erasedAt: Date?
    /// Table name to its rows on the case, oldest first where the table keeps an order.
    public var tables: [String: [[String: JSONValue]]]

    public init(service: ServiceName, caseID: CaseID, requestedBy: String, exportedAt: Date, erasedAt: Date?,
                tables: [String: [[String: JSONValue]]]) {
        self.service = service
        self.caseID = caseID
        self.requestedBy = requestedBy
        self.exportedAt = exportedAt
        self.erasedAt = erasedAt
        self.tables = tables
    }
}
