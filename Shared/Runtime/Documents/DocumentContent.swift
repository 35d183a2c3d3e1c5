public import Foundation
public import HomewardModel

/// Whether uploaded bytes are what they claim to be: pure, so that it is tested (and
/// fuzzed) without HTTP. In order: not empty, within the size limit, a media type
/// allowed, the bytes' signature ("magic") that of the type, and, for a PDF, no active
/// content.
///
/// The active-content check is a scan of the file's bytes for the PDF names that run or
/// carry something (``activeNames``), with `#xx` escapes in names decoded: it refuses a
/// file that names any of them anywhere, in a dictionary or not. It does not inflate
/// compressed object streams, so a name hidden inside one is not seen; the documents are
/// kept sealed and only ever served back as downloads (`Content-Disposition: attachment`),
/// never rendered by the services.
public enum DocumentContent {
    /// The default size limit: 4 MiB.
    public static let defaultLimit = 4 << 20
    /// The most a service may be configured to take (its HTTP layer reads no more).
    public static let ceiling = 16 << 20

    /// PDF names that run code, open other files or carry files: JavaScript (`/JS`,
    /// `/JavaScript`, which an `/OpenAction` or `/AA` would run), launch actions,
    /// embedded files, additional (automatic) actions, rich media and XFA forms.
    public static let activeNames: Set<String> = ["JavaScript", "JS", "Launch", "EmbeddedFile", "EmbeddedFiles", "AA", "RichMedia", "XFA"]

    /// The media type of a `Content-Type` header (parameters and case ignored), or the refusal.
    public static func mediaType(_ header: String?) throws(DocumentRefusal) -> DocumentMediaType {
        guard let header else { throw .mediaTypeNotAllowed }
        let bare = header.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard let type = DocumentMediaType(rawValue: bare) else { throw .mediaTypeNotAllowed }
        return type
    }

    /// Checks `content` sent as `header`; answers its media type.
    public static func check(_ content: Data, contentType header: String?, limit: Int) throws(DocumentRefusal) -> DocumentMediaType {
        guard !content.isEmpty else { throw .empty }
        guard content.count <= limit else { throw .tooLarge(limit: limit) }
        let type = try mediaType(header)
        guard hasSignature(of: type, content) else { throw .notWhatItClaims(type) }
        if type == .pdf, let name = activeName(in: content) { throw .activeContent(name) }
        return type
    }

    /// Whether `content` starts as a file of `type` does.
    public static func hasSignature(of type: DocumentMediaType, _ content: Data) -> Bool {
        let magic: [UInt8] = switch type {
        case .pdf: Array("%PDF-".utf8)
        case .jpeg: [0xFF, 0xD8, 0xFF]
        case .png: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        }
        return content.starts(with: magic)
    }

    /// The first active name (``activeNames``) the PDF bytes name, or nil.
    public static func activeName(in content: Data) -> String? {
        content.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> String? in
            var index = 0
            let count = bytes.count
            while index < count {
                guard bytes[index] == UInt8(ascii: "/") else {
                    index += 1
                    continue
                }
                // A name: regular characters up to a delimiter or white space; `#xx` is one byte.
                index += 1
                var name: [UInt8] = []
                while index < count, isRegular(bytes[index]), name.count <= 16 {
                    if bytes[index] == UInt8(ascii: "#"), index + 2 < count, let high = hex(bytes[index + 1]), let low = hex(bytes[index + 2]) {
                        name.append(high << 4 | low)
                        index += 3
                    } else {
                        name.append(bytes[index])
                        index += 1
                    }
                }
                if name.count <= 13, let text = String(bytes: name, encoding: .ascii), activeNames.contains(text) { return text }
            }
            return nil
        }
    }

    /// Not white space and not a PDF delimiter.
    private static func isRegular(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x00, 0x09, 0x0A, 0x0C, 0x0D, 0x20: false
        case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "["), UInt8(ascii: "]"),
             UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "/"), UInt8(ascii: "%"): false
        default: true
        }
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
