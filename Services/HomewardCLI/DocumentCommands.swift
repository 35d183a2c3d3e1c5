import ArgumentParser
import Foundation
import HomewardAccess
import HomewardClient
import HomewardModel

/// `homeward documents upload|list|download`: a case's documents in one service, as the
/// staff of that service (intake: caseworker; health screening: health officer; travel
/// booking: movement officer; reintegration: reintegration officer).
struct DocumentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "documents", abstract: "Upload, list and download a case's documents.", subcommands: [Upload.self, List.self, Download.self])

    /// Which service, and the staff who work its documents.
    struct Where: ParsableArguments {
        @Option(help: "intake, health-screening, travel-booking or reintegration.", transform: oneOf) var service: ServiceName = .intake
        @OptionGroup var services: ServiceURLs

        func client() async throws -> DocumentsClient {
            let role: Role = switch service {
            case .intake: .caseworker
            case .healthScreening: .healthOfficer
            case .travelBooking: .movementOfficer
            case .reintegration: .reintegrationOfficer
            }
            return DocumentsClient(try await services.api(service, as: [role]))
        }
    }

    struct Upload: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Upload a PDF, JPEG or PNG file as a document of a case.")

        @Argument(help: "The case id (HW-…).") var caseID: String
        @Argument(help: "The file.") var file: String
        @Option(help: "The kind: \(DocumentKind.allCases.map(\.rawValue).joined(separator: ", ")).", transform: oneOf) var kind: DocumentKind
        @Option(help: "The traveller, for a per-traveller kind (identity or travel document, medical certificate, ticket).") var traveller: String?
        @Option(help: "The disbursement, for a proof of delivery.") var disbursement: String?
        @Option(help: "application/pdf, image/jpeg or image/png (default: from the file's extension).", transform: oneOf) var type: DocumentMediaType?
        @OptionGroup var place: Where

        func run() async throws {
            try await oneLine("documents upload") {
                let url = URL(fileURLWithPath: file)
                guard let mediaType = type ?? DocumentMediaType(fileExtension: url.pathExtension) else {
                    throw CommandFailure(description: "say the file's type with --type (application/pdf, image/jpeg or image/png)")
                }
                guard let content = FileManager.default.contents(atPath: url.path) else { throw CommandFailure(description: "cannot read \(file)") }
                let view = try await place.client().upload(CaseID(caseID), kind: kind, traveller: traveller.map(TravellerID.init(rawValue:)),
                                                           disbursement: disbursement.map(DisbursementID.init(rawValue:)),
                                                           content: content, mediaType: mediaType)
                print("\(view.documentID): \(view.kind.rawValue), \(view.size) bytes, sha256 \(view.sha256)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a case's documents (never their bytes).")

        @Argument(help: "The case id (HW-…).") var caseID: String
        @OptionGroup var place: Where

        func run() async throws {
            try await oneLine("documents list") {
                let list = try await place.client().list(CaseID(caseID))
                print("\(list.documents.count) documents")
                for d in list.documents {
                    let about = d.travellerID.map { " traveller \($0)" } ?? d.disbursementID.map { " disbursement \($0)" } ?? ""
                    print("  \(d.documentID)  \(d.kind.rawValue)\(about)  \(d.mediaType.rawValue)  \(d.size) bytes  "
                          + "\(Instant.format(d.uploadedAt)) by \(d.uploadedBy)")
                }
            }
        }
    }

    struct Download: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Download a document (the download is audited).")

        @Argument(help: "The case id (HW-…).") var caseID: String
        @Argument(help: "The document id (DOC-…).") var documentID: String
        @Option(name: .shortAndLong, help: "Where to write it (default: the document id as the file name, in the current directory).") var output: String?
        @OptionGroup var place: Where

        func run() async throws {
            try await oneLine("documents download") {
                let content = try await place.client().download(CaseID(caseID), DocumentID(documentID))
                let path = output ?? documentID
                guard FileManager.default.createFile(atPath: path, contents: content, attributes: [.posixPermissions: 0o600]) else {
                    throw CommandFailure(description: "cannot write \(path)")
                }
                print("\(path): \(content.count) bytes")
            }
        }
    }
}
