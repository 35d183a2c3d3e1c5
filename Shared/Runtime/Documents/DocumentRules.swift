public import Foundation
public import GRDB
public import HomewardAccess
public import HomewardModel
import HomewardStore

/// What a document of a kind is about besides its case.
public enum DocumentSubject: Sendable, Equatable {
    /// The case as a whole (a signed declaration).
    case wholeCase
    /// One traveller of the case (`?traveller=`).
    case traveller
    /// One disbursement of the case (`?disbursement=`).
    case disbursement

    /// The query parameter that names it.
    var parameter: String? {
        switch self {
        case .wholeCase: nil
        case .traveller: "traveller"
        case .disbursement: "disbursement"
        }
    }
}

/// Where a case stands for its documents, as the service knows it.
public enum CaseStanding: Sendable {
    case unknown
    case known
    case erased
}

/// One service's documents: the kinds it keeps and what each is about, who uploads and
/// who reads them, the size limit, and how it knows its cases, travellers and
/// disbursements (its own repository). The mechanism is ``CaseDocuments`` and
/// ``CaseDocumentsController``, the same in every service.
public struct DocumentRules: Sendable {
    public var kinds: [DocumentKind: DocumentSubject]
    public var uploaders: Set<Role>
    public var readers: Set<Role>
    /// Bytes; ``DocumentContent/defaultLimit`` unless configured (`DOCUMENTS_MAX_BYTES`).
    public var limit: Int
    /// Where the case stands here.
    public var standing: @Sendable (CaseID, Database) throws -> CaseStanding
    /// Whether the traveller is one of the case's.
    public var hasTraveller: @Sendable (CaseID, TravellerID, Database) throws -> Bool
    /// Whether the disbursement is one of the case's.
    public var hasDisbursement: @Sendable (CaseID, DisbursementID, Database) throws -> Bool

    public init(kinds: [DocumentKind: DocumentSubject], uploaders: Set<Role>, readers: Set<Role>, limit: Int = DocumentContent.defaultLimit,
                standing: @escaping @Sendable (CaseID, Database) throws -> CaseStanding,
                hasTraveller: @escaping @Sendable (CaseID, TravellerID, Database) throws -> Bool = { _, _, _ in false },
                hasDisbursement: @escaping @Sendable (CaseID, DisbursementID, Database) throws -> Bool = { _, _, _ in false }) {
        self.kinds = kinds
        self.uploaders = uploaders
        self.readers = readers
        self.limit = limit
        self.standing = standing
        self.hasTraveller = hasTraveller
        self.hasDisbursement = hasDisbursement
    }

    /// The limit a service is configured with (`DOCUMENTS_MAX_BYTES`, 1 KiB to ``DocumentContent/ceiling``).
    public static func configuredLimit(_ config: ServiceConfiguration) -> Int { config.documentsMaxBytes }

    /// The kinds, sorted.
    var sortedKinds: [DocumentKind] { kinds.keys.sorted() }

    /// The query parameters an upload takes.
    var uploadParameters: Set<String> { Set(["kind"] + kinds.values.compactMap(\.parameter)) }
}

/// What an upload names, as the query has it.
public struct DocumentUpload: Sendable {
    public var caseID: CaseID
    public var kind: String?
    public var traveller: String?
    public var disbursement: String?

    public init(caseID: CaseID, kind: String?, traveller: String? = nil, disbursement: String? = nil) {
        self.caseID = caseID
        self.kind = kind
        self.traveller = traveller
        self.disbursement = disbursement
    }
}

/// The documents of a service's cases: upload, list, download and erase, the same in
/// every service; ``DocumentRules`` says what differs. Each runs in the caller's
/// transaction of the case's partition store, so an upload commits with its audit entry.
public enum CaseDocuments {
    /// The tables of ``DocumentStore``, for a service's ``ServiceSchema/partitionedTables``.
    public static let partitionedTables = DocumentStore.tables.map { PartitionedTable($0) }

    /// Checks and keeps a document; refuses with a ``DocumentRefusal`` having written nothing.
    public static func upload(_ upload: DocumentUpload, content: Data, contentType: String?, by actor: String, at now: Date,
                              rules: DocumentRules, in db: Database) throws -> DocumentView {
        guard let kind = upload.kind.flatMap(DocumentKind.init(rawValue:)), let subject = rules.kinds[kind] else {
            throw DocumentRefusal.unknownKind(allowed: rules.sortedKinds)
        }
        for parameter in ["traveller", "disbursement"] where parameter != subject.parameter {
            if (parameter == "traveller" ? upload.traveller : upload.disbursement) != nil {
                throw DocumentRefusal.subjectNotTaken(parameter: parameter, kind: kind)
            }
        }
        let mediaType = try DocumentContent.check(content, contentType: contentType, limit: rules.limit)
        try BlankField.check(actor, at: "/recordedBy")
        try requireOpen(upload.caseID, rules: rules, in: db)
        var travellerID: TravellerID?
        var disbursementID: DisbursementID?
        switch subject {
        case .wholeCase: break
        case .traveller:
            guard let traveller = upload.traveller, !traveller.isEmpty else { throw DocumentRefusal.subjectRequired(parameter: "traveller", kind: kind) }
            guard try rules.hasTraveller(upload.caseID, TravellerID(traveller), db) else { throw DocumentRefusal.unknownTraveller }
            travellerID = TravellerID(traveller)
        case .disbursement:
            guard let disbursement = upload.disbursement, !disbursement.isEmpty else {
                throw DocumentRefusal.subjectRequired(parameter: "disbursement", kind: kind)
            }
            guard try rules.hasDisbursement(upload.caseID, DisbursementID(disbursement), db) else { throw DocumentRefusal.unknownDisbursement }
            disbursementID = DisbursementID(disbursement)
        }
        let view = DocumentView(documentID: .make(), caseID: upload.caseID, kind: kind, travellerID: travellerID, disbursementID: disbursementID,
                                mediaType: mediaType, size: content.count, sha256: DocumentStore.sha256(content),
                                uploadedAt: Date(timeIntervalSince1970: (now.timeIntervalSince1970 * 1000).rounded() / 1000), uploadedBy: actor)
        try DocumentStore.insert(view, content: content, in: db)
        return view
    }

    /// The case's documents; 404 for a case the service does not know.
    public static func list(_ caseID: CaseID, rules: DocumentRules, in db: Database) throws -> DocumentList {
        guard try rules.standing(caseID, db) != .unknown else { throw DocumentRefusal.unknownCase }
        return DocumentList(caseID: caseID, documents: try DocumentStore.list(caseID, in: db))
    }

    /// One document and its bytes.
    public static func download(_ documentID: DocumentID, of caseID: CaseID, rules: DocumentRules, in db: Database) throws -> (DocumentView, Data) {
        guard try rules.standing(caseID, db) != .unknown else { throw DocumentRefusal.unknownCase }
        guard let view = try DocumentStore.find(documentID, of: caseID, in: db) else { throw DocumentRefusal.unknownDocument }
        guard let content = try DocumentStore.content(of: view, in: db) else { throw DocumentRefusal.contentDamaged }
        return (view, content)
    }

    /// Refuses a case the service does not know, or whose documents are erased.
    static func requireOpen(_ caseID: CaseID, rules: DocumentRules, in db: Database) throws {
        switch try rules.standing(caseID, db) {
        case .unknown: throw DocumentRefusal.unknownCase
        case .erased: throw DocumentRefusal.caseErased
        case .known: if try DocumentStore.isErased(caseID, in: db) { throw DocumentRefusal.caseErased }
        }
    }

    /// The kinds of `required` the case has no document of, in the order given.
    public static func missing(_ required: [DocumentKind], of caseID: CaseID, in db: Database) throws -> [DocumentKind] {
        guard !required.isEmpty else { return [] }
        let held = try DocumentStore.kinds(of: caseID, in: db)
        return required.filter { !held.contains($0) }
    }
}
