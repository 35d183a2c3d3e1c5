public import Foundation
public import HomewardAccess
import HomewardAudit
public import Testing

/// The document routes of a running service, checked as its staff use them: what every
/// service's flow test asks of them, written once.
public enum DocumentFlow {
    /// Uploads a PDF larger than one stored chunk as `uploader` and checks that it is
    /// listed (its record, never its bytes), downloaded whole by `uploader` with an audit
    /// entry for the download, refused to `outsider` (403 on every route), and that bytes
    /// which are not what their type claims are refused (422, nothing kept). Answers the
    /// document's id.
    @discardableResult
    public static func roundTrip(_ base: URL, case caseID: String, kind: String, traveller: String? = nil, disbursement: String? = nil,
                                 uploader: [Role], outsider: [Role], sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let staff = ["Authorization": "Bearer " + (try await TestAccess.token(uploader, subject: "doc-staff"))]
        let other = ["Authorization": "Bearer " + (try await TestAccess.token(outsider, subject: "doc-outsider"))]
        let content = DocumentSamples.pdf(padding: 300 * 1024)
        func upload(_ content: Data, type: String = "application/pdf", as headers: [String: String]) async throws -> HTTP.Reply {
            try await DocumentSamples.upload(base, case: caseID, kind: kind, traveller: traveller, disbursement: disbursement, content: content,
                                             type: type, headers: headers)
        }

        #expect(try await upload(content, as: other).status == 403, "an outsider uploads nothing", sourceLocation: sourceLocation)
        let wrongMagic = try await upload(DocumentSamples.png, as: staff)
        #expect(wrongMagic.status == 422, sourceLocation: sourceLocation)
        #expect(try wrongMagic.json()["rule"] as? String == "content-mismatch" && wrongMagic.json()["field"] as? String == "body",
                sourceLocation: sourceLocation)
        let created = try await upload(content, as: staff)
        #expect(created.status == 201, "\(created.text)", sourceLocation: sourceLocation)
        let documentID = try #require(try created.json()["documentID"] as? String, sourceLocation: sourceLocation)
        #expect(created.headers["location"] == "/cases/\(caseID)/documents/\(documentID)", sourceLocation: sourceLocation)
        #expect(try created.json()["uploadedBy"] as? String == "doc-staff", sourceLocation: sourceLocation)

        let documents = base.appendingPathComponent("cases/\(caseID)/documents")
        let list = try await HTTP.send("GET", documents, headers: staff)
        let records = try list.json()["documents"] as? [[String: Any]] ?? []
        #expect(records.map { $0["documentID"] as? String } == [documentID], "the refused upload kept nothing", sourceLocation: sourceLocation)
        #expect(records.first?["size"] as? Int == content.count && list.body.count < 2000, "records, not bytes", sourceLocation: sourceLocation)
        #expect(try await HTTP.send("GET", documents, headers: other).status == 403, sourceLocation: sourceLocation)

        let one = documents.appendingPathComponent(documentID)
        #expect(try await HTTP.send("GET", one, headers: other).status == 403, sourceLocation: sourceLocation)
        let download = try await HTTP.send("GET", one, headers: staff)
        #expect(download.status == 200 && download.body == content, "the bytes, whole", sourceLocation: sourceLocation)
        #expect(download.headers["content-type"] == "application/pdf", sourceLocation: sourceLocation)
        #expect(download.headers["content-disposition"]?.hasPrefix("attachment") == true, sourceLocation: sourceLocation)

        let entries = try await AuditPages.all(at: base).filter { $0.caseID == caseID }
        let downloads = entries.filter { $0.action == "GET /cases/:caseID/documents/:documentID" && $0.path.hasSuffix(documentID) }
        #expect(downloads.map(\.outcome).sorted() == [200, 403], "every download is audited, refused ones too", sourceLocation: sourceLocation)
        #expect(downloads.first { $0.outcome == 200 }?.actor == "doc-staff", sourceLocation: sourceLocation)
        return documentID
    }
}
