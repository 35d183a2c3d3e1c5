import Foundation
import GRDB
import HomewardModel
import HomewardStore
public import Hummingbird
import NIOCore
import Synchronization

/// `Idempotency-Key` on every POST, PUT and PATCH of every service: the first answer to a
/// change is kept with it (``IdempotentAnswer``, for a day), so a retry of the same
/// request by the same caller gets that answer again, marked `Idempotent-Replayed: true`,
/// and changes nothing. The same key with another request is refused (422), and a retry
/// that arrives while the first is still being answered is asked to retry (409).
public struct IdempotencyMiddleware: RouterMiddleware {
    public typealias Context = ServiceRequestContext
    let stores: PartitionStores
    /// The service's own routes (`POST /cases/{caseID}/consents`), told once they are
    /// registered: a method a path does not take gets its 405, key or not.
    let routes = Routes()

    public final class Routes: Sendable {
        private let names = Mutex<Set<String>>([])

        public func set(_ routes: [(method: HTTPRequest.Method, path: String)]) {
            names.withLock { $0 = Set(routes.map { "\($0.method) \($0.path)" }) }
        }

        func contains(_ method: HTTPRequest.Method, _ path: String?) -> Bool {
            guard let path else { return false }
            return names.withLock { $0.contains("\(method) \(path)") }
        }
    }

    public init(stores: PartitionStores) {
        self.stores = stores
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard [.post, .put, .patch].contains(request.method), let key = request.headers[.init("Idempotency-Key")!],
              let actor = context.staff?.subject, routes.contains(request.method, context.endpointPath) else { return try await next(request, context) }
        guard (1...200).contains(key.count) else {
            throw Problem(status: .badRequest, rule: "idempotency-key", field: "Idempotency-Key", detail: "an Idempotency-Key has 1 to 200 characters")
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: context.maxUploadSize)
        } catch is NIOTooManyBytesError {
            throw Problem(status: .contentTooLarge, rule: "body-too-large", detail: "the body is larger than \(context.maxUploadSize) bytes")
        }
        // What makes two requests the same: method, path (query included) and body bytes.
        var fingerprint = Data("\(request.method) \(request.uri)\n".utf8)
        fingerprint.append(contentsOf: body.readableBytesView)
        let print = fingerprint
        // A path that names its case has its answer in that case's store; others are looked for
        // in each store here (sent on to another host, a request finds its answer there).
        let find: @Sendable (Database) throws -> IdempotentAnswer? = { db in try IdempotentAnswer.find(actor: actor, key: key, fingerprint: print, in: db) }
        let kept: IdempotentAnswer?
        if let caseID = RequestScope.current?.caseID {
            kept = try await stores.store(for: CaseID(caseID)).read(find)
        } else {
            kept = try await stores.locate(forwarding: false, find)?.1
        }
        if let answer = kept {
            guard answer.sameRequest else {
                throw Problem(status: .unprocessableContent, rule: "idempotency-key-reused", field: "Idempotency-Key",
                              detail: "this key was used in the last 24 h for another request (method, path or body); use a new key for a new request")
            }
            var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
            headers[.init("Idempotent-Replayed")!] = "true"
            if let location = answer.location { headers[.location] = location }
            if let etag = answer.etag { headers[.eTag] = etag }
            return Response(status: .init(code: answer.status), headers: headers, body: .init(byteBuffer: ByteBuffer(data: answer.body)))
        }
        RequestScope.current?.answersRetries(key: key, fingerprint: fingerprint)
        var request = request
        request.body = RequestBody(buffer: body)
        do {
            return try await next(request, context)
        } catch is IdempotencyKeyInUse {
            throw Problem(status: .conflict, rule: "idempotency-key-in-use", field: "Idempotency-Key",
                          detail: "a request with this key is being answered; retry it to get its answer")
        }
    }
}
