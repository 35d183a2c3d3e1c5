public import Foundation
import HomewardModel
import HomewardStore
public import Hummingbird
import NIOCore
import NIOFoundationCompat

/// A service's document routes, the same in every service (``DocumentRules`` says what differs):
///
/// - `POST /cases/{caseID}/documents?kind=…[&traveller=…|&disbursement=…]`, the raw bytes as
///   the body with their `Content-Type`: checked (``DocumentContent``), kept sealed in the
///   case's store with the audit entry of the upload, answered 201 with the record.
/// - `GET /cases/{caseID}/documents`: the records, never the bytes.
/// - `GET /cases/{caseID}/documents/{documentID}`: the bytes, as an attachment. Like every
///   authenticated read it leaves an audit entry (actor, route, path with the document's id,
///   status) before the bytes leave, or the caller gets 503 and not the bytes.
public struct CaseDocumentsController: Sendable {
    let stores: PartitionStores
    let rules: DocumentRules
    let clock: @Sendable () -> Date

    public init(stores: PartitionStores, rules: DocumentRules, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.stores = stores
        self.rules = rules
        self.clock = clock
    }

    public func addRoutes(to router: Router<ServiceRequestContext>) {
        router.on("/cases/:caseID/documents", method: .post, roles: rules.uploaders, query: rules.uploadParameters, use: upload)
        router.get("/cases/:caseID/documents", roles: rules.readers, use: list)
        router.get("/cases/:caseID/documents/:documentID", roles: rules.readers, use: download)
    }

    @Sendable func upload(_ request: Request, context: ServiceRequestContext) async throws -> EditedResponse<DocumentView> {
        let caseID = try context.caseID()
        let query = request.uri.queryParameters
        let upload = DocumentUpload(caseID: caseID, kind: query["kind"].map(String.init), traveller: query["traveller"].map(String.init),
                                    disbursement: query["disbursement"].map(String.init))
        let content: Data
        do {
            content = Data(buffer: try await request.body.collect(upTo: rules.limit))
        } catch is NIOTooManyBytesError {
            throw DocumentRefusal.tooLarge(limit: rules.limit)
        }
        let actor = context.staff?.subject ?? ""
        let contentType = request.headers[.contentType]
        let (rules, now) = (self.rules, clock())
        let scope = RequestScope.current
        let view = try await stores.store(for: caseID).write { db in
            let view = try CaseDocuments.upload(upload, content: content, contentType: contentType, by: actor, at: now, rules: rules, in: db)
            scope?.created(at: "/cases/\(caseID)/documents/\(view.documentID)")
            return view
        }
        return EditedResponse(status: .created, headers: [.location: "/cases/\(caseID)/documents/\(view.documentID)"], response: view)
    }

    @Sendable func list(_ request: Request, context: ServiceRequestContext) async throws -> DocumentList {
        let caseID = try context.caseID()
        let rules = self.rules
        return try await stores.store(for: caseID).read { db in try CaseDocuments.list(caseID, rules: rules, in: db) }
    }

    @Sendable func download(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let caseID = try context.caseID()
        let documentID = DocumentID(try context.parameters.require("documentID"))
        let rules = self.rules
        let (view, content) = try await stores.store(for: caseID).read { db in try CaseDocuments.download(documentID, of: caseID, rules: rules, in: db) }
        let name = "\(view.documentID).\(view.mediaType.fileExtension)"
        return Response(status: .ok, headers: [
            .contentType: view.mediaType.rawValue,
            .contentDisposition: "attachment; filename=\"\(name)\"",
            .init("X-Content-Type-Options")!: "nosniff",
            .init("X-Document-SHA256")!: view.sha256,
            .cacheControl: "no-store",
        ], body: ResponseBody(byteBuffer: ByteBuffer(data: content)))
    }
}

extension DocumentView: ResponseEncodable {}
extension DocumentList: ResponseEncodable {}

extension DocumentMediaType {
    var fileExtension: String {
        switch self {
        case .pdf: "pdf"
        case .jpeg: "jpg"
        case .png: "png"
        }
    }
}
