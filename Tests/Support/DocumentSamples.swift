public import Foundation

/// Bytes of documents as staff upload them, and uploads over HTTP, for the document tests
/// of every service.
public enum DocumentSamples {
    /// A plain PDF (a scanned form has nothing more active), `padding` bytes of stream data long.
    public static func pdf(padding: Int = 64) -> Data {
        var data = Data("%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n".utf8)
        data.append(Data("3 0 obj <</Length \(padding)>> stream\n".utf8))
        var generator = SystemRandomNumberGenerator()
        data.append(Data((0..<padding).map { _ in UInt8.random(in: 0x30...0x7A, using: &generator) }))
        data.append(Data("\nendstream endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n".utf8))
        return data
    }

    /// A PDF that runs JavaScript when opened.
    public static let activePDF = Data("%PDF-1.4\n1 0 obj <</Type /Catalog /OpenAction <</S /JavaScript /JS (app.alert(1))>> >> endobj\n%%EOF\n".utf8)

    /// The start of a PNG file.
    public static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8) + [0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0])

    /// The start of a JPEG file.
    public static let jpeg = Data([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xFF, 0xD9])

    /// `POST {base}/cases/{caseID}/documents?kind=…` with the bytes, as `type`.
    public static func upload(_ base: URL, case caseID: String, kind: String, traveller: String? = nil, disbursement: String? = nil,
                              content: Data, type: String = "application/pdf", headers: [String: String] = [:]) async throws -> HTTP.Reply {
        var query = [URLQueryItem(name: "kind", value: kind)]
        if let traveller { query.append(.init(name: "traveller", value: traveller)) }
        if let disbursement { query.append(.init(name: "disbursement", value: disbursement)) }
        let url = base.appendingPathComponent("cases/\(caseID)/documents").appending(queryItems: query)
        return try await HTTP.send("POST", url, body: content, headers: ["Content-Type": type].merging(headers) { $1 })
    }
}
