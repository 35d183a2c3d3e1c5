import Foundation
import HomewardRuntime
import Hummingbird

/// Serves the OpenAPI 3.1 document the repository keeps for this service.
struct DocumentController: Sendable {
    let document: ByteBuffer

    init() throws {
        let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml")!
        document = ByteBuffer(bytes: try Data(contentsOf: url))
    }

    func addRoutes(to router: Router<ServiceRequestContext>) {
        router.get("/openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml"], body: ResponseBody(byteBuffer: document))
        }
    }
}
