public import Foundation

/// A document's record, without its bytes: what staff list.
public struct DocumentView: Codable, Sendable, Equatable {
    public var documentID: DocumentID
    public var caseID: CaseID
    public var kind: DocumentKind
    /// The traveller it is about, for a per-traveller kind (a medical certificate).
    public var travellerID: TravellerID?
    /// The disbursement it proves, for a proof of delivery.
    public var disbursementID: DisbursementID?
    public var mediaType: DocumentMediaType
    /// Bytes.
    public var size: Int
    /// SHA-256 of the bytes, lower-case hex: a download can be checked against it.
    public var sha256: String
    public var uploadedAt: Date
    public var uploadedBy: String

    public init(documentID: DocumentID, caseID: CaseID, kind: DocumentKind, travellerID: TravellerID? = nil, disbursementID: DisbursementID? = nil,
                mediaType: DocumentMediaType, size: Int, sha256: String, uploadedAt: Date, uploadedBy: String) {
        self.documentID = documentID
        self.caseID = caseID
        self.kind = kind
        self.travellerID = travellerID
        self.disbursementID = disbursementID
        self.mediaType = mediaType
        self.size = size
        self.sha256 = sha256
        self.uploadedAt = uploadedAt
        self.uploadedBy = uploadedBy
    }
}

/// A case's documents, oldest first.
public struct DocumentList: Codable, Sendable, Equatable {
    public var caseID: CaseID
    public var documents: [DocumentView]

    public init(caseID: CaseID, documents: [DocumentView]) {
        self.caseID = caseID
        self.documents = documents
    }
}
