import Foundation
import HomewardRuntime

// Documents: an upload's bytes as every service checks them (`DocumentContent.check`: the
// signature of the type claimed, then, for a PDF, the scan for active content), claimed
// as each media type in turn.

let documentTargets: [FuzzTarget] = [
    FuzzTarget(
        name: "documents.content",
        seeds: {
            [Data("%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n".utf8),
             Data("%PDF-1.4\n<</OpenAction <</S /JavaScript /JS (x)>> /N#61me /J#53>>\n%%EOF".utf8),
             Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]), Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 16])]
        },
        run: { data in
            var accepted = false
            for type in ["application/pdf", "image/png", "image/jpeg"] {
                if (try? DocumentContent.check(data, contentType: type, limit: DocumentContent.ceiling)) != nil { accepted = true }
            }
            return accepted ? .accepted : .rejected
        }),
]
