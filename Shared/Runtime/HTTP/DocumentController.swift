public import Foundation
public import Hummingbird
import HomewardAccess

/// Serves the OpenAPI 3.1 document the repository keeps for a service, at `/openapi.yaml`.
public struct DocumentController: Sendable {
    let document: ByteBuffer

    /// - Parameter url: the document in the service's resource bundle.
    public init(document url: URL) throws {
        document = ByteBuffer(bytes: try Data(contentsOf: url))
    }

    public func addRoutes(to router: Router<ServiceRequestContext>) {
        router.get("/openapi.yaml", roles: Set(Role.allCases)) { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml"], body: ResponseBody(byteBuffer: document))
        }
    }
}
