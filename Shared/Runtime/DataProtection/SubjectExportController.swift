import Foundation
import HomewardAccess
import HomewardModel
public import Hummingbird

/// `GET /cases/{caseID}/subject-export`: everything this service holds on the case's
/// person and family (``SubjectExport``), for a data-protection officer answering the
/// person's request, and for nobody else: health screening's part holds the medical
/// record, which leaves the service this way only. Audited like every read (the entry names
/// the route and the case); 404 when no table here names the case. Across hosts the owner
/// of the case's partition answers, as for every route of a case (``OwnerForwarding``).
public struct SubjectExportController: Sendable {
    let stores: PartitionStores
    let export: SubjectExport

    public init(stores: PartitionStores, export: SubjectExport) {
        self.stores = stores
        self.export = export
    }

    public func addRoutes(to router: Router<ServiceRequestContext>) {
        let (stores, export) = (stores, export)
        router.get("/cases/:caseID/subject-export", roles: [.dataProtectionOfficer]) { _, context -> SubjectExportPart in
            let caseID = try context.caseID()
            let (requestedBy, now) = (context.staff?.subject ?? "", Instant.now())
            guard let part = try await stores.store(for: caseID).read({ db in try export.read(caseID, requestedBy: requestedBy, at: now, in: db) }) else {
                throw Problem(status: .notFound, rule: "unknown-case", detail: "\(export.service.rawValue) holds nothing on a case with this id")
            }
            return part
        }
    }
}

extension SubjectExportPart: ResponseEncodable {}
