public import Foundation
public import HomewardModel

/// The document routes every service has (`Shared/Runtime/Documents`), typed: upload the
/// raw bytes of a PDF, JPEG or PNG, list a case's documents, download one. Each service's
/// client hands one out as `documents`, speaking as that client's member of staff.
public struct DocumentsClient: Sendable {
    public let api: ServiceAPI

    public init(_ api: ServiceAPI) { self.api = api }

    /// `POST /cases/{id}/documents?kind=…`: `content` as the body, sent as `mediaType`;
    /// per-traveller kinds name the traveller, a proof of delivery its disbursement.
    public func upload(_ caseID: CaseID, kind: DocumentKind, traveller: TravellerID? = nil, disbursement: DisbursementID? = nil,
                       content: Data, mediaType: DocumentMediaType, idempotencyKey: String? = nil) async throws -> DocumentView {
        let path = ServiceAPI.path("cases/\(caseID)/documents", [
            ("kind", kind.rawValue), ("traveller", traveller?.rawValue), ("disbursement", disbursement?.rawValue),
        ])
        var headers = ["Content-Type": mediaType.rawValue]
        if let idempotencyKey { headers["Idempotency-Key"] = idempotencyKey }
        let answer = try await api.send("POST", path, data: content, headers: headers, expect: [201])
        return try api.decode(answer, "POST", path)
    }

    /// `GET /cases/{id}/documents`: the records, without the bytes.
    public func list(_ caseID: CaseID) async throws -> DocumentList {
        try await api.call("cases/\(caseID)/documents")
    }

    /// `GET /cases/{id}/documents/{documentID}`: the bytes (the download is audited).
    public func download(_ caseID: CaseID, _ documentID: DocumentID) async throws -> Data {
        try await api.send("GET", "cases/\(caseID)/documents/\(documentID)", data: nil, json: false).data
    }
}

extension DocumentMediaType {
    /// The type a file's extension suggests (`.pdf`, `.jpg`/`.jpeg`, `.png`), or nil.
    public init?(fileExtension: String) {
        switch fileExtension.lowercased() {
        case "pdf": self = .pdf
        case "jpg", "jpeg": self = .jpeg
        case "png": self = .png
        default: return nil
        }
    }
}
