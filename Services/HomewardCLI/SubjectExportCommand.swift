import ArgumentParser
import Foundation
import HomewardClient
import HomewardModel
import HomewardStore

/// `homeward subject-export HW-…`: what Homeward holds about a case's person and family,
/// for a data-protection officer answering their request (access and transparency). Each
/// service answers its part (`GET /cases/{id}/subject-export`), and records the request in
/// the case's audit trail as it records every request; the parts are merged into one JSON
/// file that only its owner can read.
struct SubjectExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subject-export", abstract: "Everything the four services hold on a case's person and family, as one JSON file (data-protection officers).",
        discussion: "Writes one section per service (each with one section per table that names the case, sealed values opened, the case's audit entries there), who asked and when. The file is created with mode 0600 and never overwritten. A service that does not answer is named, the export is marked incomplete and the command exits 1; a service that holds nothing on the case says so. Documents are listed with their path, size and SHA-256, not their bytes.")
    @Argument(help: "The case id (HW-…).") var caseID: String
    @Option(help: "The file to create (default: <case id>-subject-export.json).") var output: String?
    @OptionGroup var services: ServiceURLs

    /// The export as the file holds it.
    struct Document: Codable {
        var caseID: String
        /// Who asked, as the services recorded it from the token, and when.
        var requestedBy: String?
        var requestedAt: Date
        var complete: Bool
        /// Each service's part, by service name.
        var services: [String: SubjectExportPart]
        /// The services that hold nothing on the case.
        var holdingNothing: [String]
        /// The services that could not be asked, and why.
        var missing: [String: String]
    }

    func run() async throws {
        try await oneLine("subject-export") {
            let file = output ?? "\(caseID)-subject-export.json"
            guard !FileManager.default.fileExists(atPath: file) else { throw CommandFailure(description: "\(file) exists; choose another --output") }
            var document = Document(caseID: caseID, requestedAt: Instant.now(), complete: true, services: [:], holdingNothing: [], missing: [:])
            for service in ServiceName.allCases {
                do {
                    let api = try await services.api(service, as: [.dataProtectionOfficer])
                    if let part = try await api.callIfPresent("cases/\(caseID)/subject-export", as: SubjectExportPart.self) {
                        document.services[service.rawValue] = part
                    } else if service == .intake {
                        throw CommandFailure(description: "intake knows no case \(caseID)")
                    } else {
                        document.holdingNothing.append(service.rawValue)
                    }
                } catch let error as ServiceError where error.status == nil {
                    // Not answering: the others still export, and the export says what it lacks.
                    document.missing[service.rawValue] = "\(error)"
                }
            }
            document.complete = document.missing.isEmpty
            document.requestedBy = document.services.values.first?.requestedBy
            let encoder = EventCoding.encoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            do {
                try SecretFile.create(atPath: file, contents: try encoder.encode(document))
            } catch let error as SecretFileError {
                throw CommandFailure(description: "\(error)")
            }
            print(Self.summary(document, file: file))
            if !document.complete { throw ExitCode(1) }
        }
    }

    /// What was written, in a few lines: the rows of each part, what is missing.
    static func summary(_ document: Document, file: String) -> String {
        var out = ["Subject export of \(document.caseID) written to \(file) (mode 0600)"
                   + (document.complete ? "" : " INCOMPLETE: \(document.missing.keys.sorted().joined(separator: ", ")) did not answer")]
        for (service, part) in document.services.sorted(by: { $0.key < $1.key }) {
            let rows = part.tables.values.map(\.count).reduce(0, +)
            out.append("  \(service): \(rows) rows in \(part.tables.count) tables" + (part.erasedAt.map { ", personal data erased \(Instant.format($0))" } ?? ""))
        }
        for service in document.holdingNothing { out.append("  \(service): holds nothing on the case") }
        for (service, why) in document.missing.sorted(by: { $0.key < $1.key }) { out.append("  MISSING \(service): \(why)") }
        return out.joined(separator: "\n")
    }
}
