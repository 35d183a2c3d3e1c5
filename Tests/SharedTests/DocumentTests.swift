import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore
import TestSupport
import Testing

/// What an upload is checked for, without HTTP: its bytes are what its type claims, a PDF
/// carries nothing active, and it is within the size limit.
@Suite("Document content")
struct DocumentContentTests {
    @Test func eachTypeIsTakenWhenItsBytesStartAsItsFilesDo() throws {
        #expect(try DocumentContent.check(DocumentSamples.pdf(), contentType: "application/pdf", limit: 1 << 20) == .pdf)
        #expect(try DocumentContent.check(DocumentSamples.png, contentType: "image/png", limit: 1 << 20) == .png)
        #expect(try DocumentContent.check(DocumentSamples.jpeg, contentType: "IMAGE/JPEG; charset=binary", limit: 1 << 20) == .jpeg)
    }

    @Test(arguments: [
        ("image/png", DocumentSamples.pdf(), DocumentRefusal.notWhatItClaims(.png)),
        ("application/pdf", DocumentSamples.png, .notWhatItClaims(.pdf)),
        ("image/jpeg", DocumentSamples.png, .notWhatItClaims(.jpeg)),
        ("text/html", Data("<html>".utf8), .mediaTypeNotAllowed),
        ("image/svg+xml", Data("<svg/>".utf8), .mediaTypeNotAllowed),
        ("application/pdf", Data(), .empty),
    ])
    func bytesThatAreNotWhatTheyClaimAreRefused(type: String, content: Data, refusal: DocumentRefusal) {
        #expect(throws: refusal) { try DocumentContent.check(content, contentType: type, limit: 1 << 20) }
    }

    @Test func noContentTypeIsRefusedWithTheTypesAllowed() {
        #expect(throws: DocumentRefusal.mediaTypeNotAllowed) { try DocumentContent.check(DocumentSamples.png, contentType: nil, limit: 1 << 20) }
        let problem = DocumentRefusal.mediaTypeNotAllowed.problem
        #expect(problem.statusCode == 415 && problem.field == "Content-Type")
        #expect(problem.allowed == ["application/pdf", "image/jpeg", "image/png"])
    }

    @Test func theSizeLimitHoldsToTheByte() throws {
        let pdf = DocumentSamples.pdf(padding: 1000)
        #expect(try DocumentContent.check(pdf, contentType: "application/pdf", limit: pdf.count) == .pdf)
        #expect(throws: DocumentRefusal.tooLarge(limit: pdf.count - 1)) {
            try DocumentContent.check(pdf, contentType: "application/pdf", limit: pdf.count - 1)
        }
        #expect(DocumentRefusal.tooLarge(limit: 10).problem.statusCode == 413)
    }

    @Test(arguments: [
        ("/OpenAction <</S /JavaScript /JS (app.alert(1))>>", "JavaScript"),
        ("/AA <</O 3 0 R>>", "AA"),
        ("/Launch <</F (cmd.exe)>>", "Launch"),
        ("/Names <</EmbeddedFiles 4 0 R>>", "EmbeddedFiles"),
        ("/Type /EmbeddedFile", "EmbeddedFile"),
        ("/RichMedia 5 0 R", "RichMedia"),
        ("/AcroForm <</XFA 6 0 R>>", "XFA"),
        ("/S/JS(x)", "JS"),
        ("/J#53 (escaped)", "JS"),
        ("/Java#53cript 7 0 R", "JavaScript"),
    ])
    func activePDFContentIsRefusedByName(fragment: String, name: String) {
        let pdf = Data("%PDF-1.7\n1 0 obj <<\(fragment)>> endobj\n%%EOF".utf8)
        #expect(DocumentContent.activeName(in: pdf) == name)
        #expect(throws: DocumentRefusal.activeContent(name)) { try DocumentContent.check(pdf, contentType: "application/pdf", limit: 1 << 20) }
    }

    @Test func namesThatOnlyStartLikeActiveOnesAreNot() {
        for fragment in ["/JSON 1", "/AAA 2", "/Launcher 3", "/XFAForm 4", "/OpenAction [3 0 R /Fit]"] {
            let pdf = Data("%PDF-1.7\n<<\(fragment)>>\n%%EOF".utf8)
            #expect(DocumentContent.activeName(in: pdf) == nil, "\(fragment)")
        }
        // A scan, not a parser: "/JS" inside a string is refused too (on the safe side).
        #expect(DocumentContent.activeName(in: Data("%PDF-1.7 (/JS)".utf8)) == "JS")
    }
}

/// Documents in a partition store: chunked, sealed, opened whole, erased.
@Suite("Document store")
struct DocumentStoreTests {
    static let k1 = Data(repeating: 7, count: 32), k2 = Data(repeating: 9, count: 32)

    func store(_ cipher: FieldCipher, at path: String? = nil) throws -> Store {
        try Store(path: path ?? makeWorkDirectory("documents").appendingPathComponent("p.sqlite").path, cipher: cipher,
                  migrations: DocumentStore.register)
    }

    func view(_ content: Data, case caseID: CaseID = "HW-1") -> DocumentView {
        DocumentView(documentID: .make(), caseID: caseID, kind: .signedDeclaration, mediaType: .pdf, size: content.count,
                     sha256: DocumentStore.sha256(content), uploadedAt: Date(timeIntervalSince1970: 1_796_000_000.125), uploadedBy: "cw-anna")
    }

    @Test func aDocumentLargerThanAChunkIsKeptSealedInChunksAndReadBackWhole() throws {
        let store = try store(try FieldCipher(keys: [("k1", Self.k1)], active: "k1", service: "health-screening"))
        let content = DocumentSamples.pdf(padding: 2 * DocumentStore.chunkSize + 1000)
        let document = view(content)
        try store.write { db in try DocumentStore.insert(document, content: content, in: db) }

        let rows = try store.read { db in try Row.fetchAll(db, sql: "SELECT typeof(content), content FROM document_chunk ORDER BY position") }
        #expect(rows.count == 3)
        let marker = Data(content.suffix(200))
        for row in rows {
            #expect(row[0] as String == "text", "sealed: text, not the clear blob")
            let stored = row[1] as String
            #expect(stored.hasPrefix("v2.k1."))
            #expect(stored.utf8.count < 300_000, "one changelog record stays far under Kafka's 1 MB")
            #expect(Data(stored.utf8).range(of: marker) == nil && Data(stored.utf8).range(of: Data("%PDF".utf8)) == nil)
        }
        let read = try store.read { db in try DocumentStore.content(of: document, in: db) }
        #expect(read == content)
        #expect(try store.read { db in try DocumentStore.list("HW-1", in: db) } == [document])
        #expect(try store.read { db in try DocumentStore.kinds(of: "HW-1", in: db) } == [.signedDeclaration])
    }

    @Test func keyRotationReSealsEveryChunk() throws {
        let directory = try makeWorkDirectory("documents-rotation")
        let path = directory.appendingPathComponent("p.sqlite").path
        let content = DocumentSamples.pdf(padding: DocumentStore.chunkSize + 10)
        let document = view(content)
        do {
            let old = try store(try FieldCipher(keys: [("k1", Self.k1)], active: "k1", service: "health-screening"), at: path)
            try old.write { db in try DocumentStore.insert(document, content: content, in: db) }
            try old.close()
        }
        let rotated = try store(try FieldCipher(keys: [("k2", Self.k2), ("k1", Self.k1)], active: "k2", service: "health-screening"), at: path)
        #expect(try rotated.read { db in try KeyRotation.pending(DocumentStore.sealedColumns, activeKeyID: "k2", in: db) } == 2)
        for column in DocumentStore.sealedColumns {
            _ = try rotated.write { db in try KeyRotation.resealBatch(column, activeKeyID: "k2", limit: 10, in: db) }
        }
        #expect(try rotated.read { db in try KeyRotation.pending(DocumentStore.sealedColumns, activeKeyID: "k2", in: db) } == 0)
        #expect(try rotated.read { db in try String.fetchAll(db, sql: "SELECT content FROM document_chunk") }.allSatisfy { $0.hasPrefix("v2.k2.") })
        #expect(try rotated.read { db in try DocumentStore.content(of: document, in: db) } == content)
    }

    @Test func erasureDeletesEveryChunkAndIsRemembered() throws {
        let store = try store(try FieldCipher(keys: [("k1", Self.k1)], active: "k1", service: "health-screening"))
        let content = DocumentSamples.pdf(padding: DocumentStore.chunkSize)
        let other = view(DocumentSamples.png, case: "HW-2")
        try store.write { db in
            try DocumentStore.insert(view(content), content: content, in: db)
            try DocumentStore.insert(other, content: DocumentSamples.png, in: db)
            try DocumentStore.erase("HW-1", at: Date(), in: db)
        }
        #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM document_chunk WHERE case_id = 'HW-1'") } == 0)
        #expect(try store.read { db in try DocumentStore.list("HW-1", in: db) }.isEmpty)
        #expect(try store.read { db in try DocumentStore.isErased("HW-1", in: db) })
        #expect(try store.read { db in try DocumentStore.list("HW-2", in: db) } == [other], "another case's documents stay")
        #expect(try !store.read { db in try DocumentStore.isErased("HW-2", in: db) })
    }

    /// The store's changelog carries a document chunk by chunk, each record far under
    /// Kafka's 1 MB, and a store restored from it serves the same bytes.
    @Test func aDocumentMovesWithItsStoreThroughTheChangelog() throws {
        let cipher = try FieldCipher(keys: [("k1", Self.k1)], active: "k1", service: "health-screening")
        let source = try store(cipher), restored = try store(cipher)
        let capture = try source.read { db in try ChangelogCapture(topic: "t.changelog", writer: "w", schemaOf: db) }
        try source.write { db in try capture.install(partition: 0, in: db) }
        let content = DocumentSamples.pdf(padding: 2 * DocumentStore.chunkSize)
        let document = view(content)
        try source.write { db in try DocumentStore.insert(document, content: content, in: db) }
        let records = try source.read { db in
            try Row.fetchAll(db, sql: "SELECT message_key, value FROM outbox WHERE topic = 't.changelog' ORDER BY seq")
        }
        #expect(records.count == 4, "the record and its three chunks")
        #expect(records.allSatisfy { ($0["value"] as Data).count < 400_000 })
        try restored.write { db in
            for record in records { try capture.apply(key: Data((record["message_key"] as String).utf8), value: record["value"], in: db) }
        }
        #expect(try restored.read { db in try DocumentStore.content(of: document, in: db) } == content)
    }

    @Test func aDocumentWithAChunkLostIsNotServed() throws {
        let store = try store(try FieldCipher(keys: [("k1", Self.k1)], active: "k1", service: "health-screening"))
        let content = DocumentSamples.pdf(padding: DocumentStore.chunkSize)
        let document = view(content)
        try store.write { db in
            try DocumentStore.insert(document, content: content, in: db)
            try db.execute(sql: "DELETE FROM document_chunk WHERE position = 1")
        }
        #expect(try store.read { db in try DocumentStore.content(of: document, in: db) } == nil)
    }
}
