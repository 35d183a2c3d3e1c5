import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HomewardModel
public import Hummingbird
import Metrics
import HTTPTypes
import NIOCore

/// Brings each request to the replica that owns the partition stores it needs, wherever it
/// arrives (a gateway spreads requests over hosts). A request whose path names a case
/// owned on another host is sent on to that owner with the caller's token and answered
/// with the owner's answer; lists fetch the partitions owned elsewhere from their owners
/// and merge (``PartitionStores/readEach(_:)``); a record found by another id is looked
/// for here, then at the owners (``ForwardToOwners``). While a partition has no live
/// owner it waits up to 3 s, then answers 503 with `Retry-After`: never from a copy
/// that may be behind. The owner audits what it answers; a request is sent on once at most.
public struct OwnerForwarding: RouterMiddleware {
    public typealias Context = ServiceRequestContext
    let routing: PartitionRouting
    let stores: PartitionStores
    let session: URLSession
    /// Requests (and parts of lists) sent on to an owner on another host.
    let forwarded = Counter(label: "homeward_http_forwarded_total")

    public init(routing: PartitionRouting, stores: PartitionStores) {
        self.routing = routing
        self.stores = stores
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 15
        session = URLSession(configuration: configuration)
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // Public paths (health, metrics) and requests without a token are answered here.
        guard context.staff != nil else { return try await next(request, context) }
        let only = try request.headers[RequestRouting.partitionsHeader].map { try Self.partitions($0, count: stores.count) }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: context.maxUploadSize)
        } catch is NIOTooManyBytesError {
            throw Problem(status: .contentTooLarge, rule: "body-too-large", detail: "the body is larger than \(context.maxUploadSize) bytes")
        }
        var request = request
        request.body = RequestBody(buffer: body)
        // The owner logs under the same request id as this replica.
        let (received, remote, id) = (request, context.remoteAddress, context.logger[metadataKey: "request_id"].map { "\($0)" })
        let send: @Sendable (URL, [Int32]) async throws -> ForwardedAnswer = { [session, forwarded] owner, partitions in
            forwarded.increment()
            return try await Self.send(received, body: body, from: remote, requestID: id, to: owner, partitions: partitions, session: session)
        }
        if let caseID = AuditMiddleware.caseID(route: context.endpointPath ?? request.uri.path, path: request.uri.path) {
            let partition = stores.partition(of: CaseID(caseID))
            if let only {
                guard only.contains(partition), routing.placement(of: partition) == .here else { throw RequestRouting.movingProblem }
            } else {
                switch await routing.settled(partition) {
                case .here: break
                case .owner(let owner): return try Self.response(try await send(owner, [partition]))
                case .moving: throw RequestRouting.movingProblem
                }
            }
        }
        let ask: @Sendable (URL, [Int32], String, Data) async throws -> ForwardedAnswer = { [session, forwarded] owner, partitions, path, payload in
            forwarded.increment()
            var head = received.head
            head.method = .post
            head.path = path
            head.headerFields[.contentType] = "application/json"
            return try await Self.send(Request(head: head, body: RequestBody(buffer: ByteBuffer(bytes: payload))), body: ByteBuffer(bytes: payload),
                                       from: remote, requestID: id, to: owner, partitions: partitions, session: session)
        }
        let scope = RequestRouting(routing: routing, only: only, fetch: send, ask: ask)
        do {
            return try await RequestRouting.$current.withValue(scope) { try await next(request, context) }
        } catch let forward as ForwardToOwners {
            var answer: ForwardedAnswer?
            for (owner, partitions) in forward.owners.sorted(by: { $0.key.absoluteString < $1.key.absoluteString }) {
                answer = try await send(owner, partitions)
                if answer?.status != 404 { break }
            }
            guard let answer, answer.status != 404 || !forward.unsure else { throw RequestRouting.movingProblem }
            return try Self.response(answer)
        }
    }

    /// `Homeward-Partitions: 0,5,7`, as a replica sends it.
    static func partitions(_ header: String, count: Int) throws -> Set<Int32> {
        let parts = header.split(separator: ",").map { Int32($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ $0.map { (0..<Int32(count)).contains($0) } ?? false }) else {
            throw Problem(status: .badRequest, rule: "invalid-header", field: "Homeward-Partitions",
                          detail: "partition numbers from 0 to \(count - 1), separated by commas (sent by replicas to each other)")
        }
        return Set(parts.compactMap { $0 })
    }

    /// Headers that belong to one connection, not to the request or answer carried.
    static let hopByHop: Set<String> = ["host", "connection", "content-length", "transfer-encoding", "keep-alive", "expect", "upgrade",
                                        "te", "trailer", "proxy-connection", "date", "server", "homeward-partitions"]

    /// The request as received (the caller's token included), to `owner`, for `partitions`.
    static func send(_ request: Request, body: ByteBuffer, from remote: String?, requestID: String?, to owner: URL, partitions: [Int32],
                     session: URLSession) async throws -> ForwardedAnswer {
        guard let url = URL(string: owner.absoluteString.trimmingSuffix("/") + request.uri.description) else { throw RequestRouting.movingProblem }
        var forwarded = URLRequest(url: url)
        forwarded.httpMethod = request.method.rawValue
        for field in request.headers where !hopByHop.contains(field.name.canonicalName) {
            forwarded.addValue(field.value, forHTTPHeaderField: field.name.rawName)
        }
        let chain = [request.headers[.init("X-Forwarded-For")!], remote].compactMap { $0 }.joined(separator: ", ")
        if !chain.isEmpty { forwarded.setValue(chain, forHTTPHeaderField: "X-Forwarded-For") }
        if let requestID { forwarded.setValue(requestID, forHTTPHeaderField: "X-Request-ID") }
        forwarded.setValue(partitions.sorted().map(String.init).joined(separator: ","), forHTTPHeaderField: RequestRouting.partitionsHeader.rawName)
        if body.readableBytes > 0 { forwarded.httpBody = Data(buffer: body) }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await session.data(for: forwarded)
        } catch {
            throw RequestRouting.movingProblem  // its owner is gone or cut off: the partition is about to move
        }
        guard let http = response as? HTTPURLResponse else { throw RequestRouting.movingProblem }
        let headers = http.allHeaderFields.compactMap { key, value -> (name: String, value: String)? in
            let name = String(describing: key)
            return hopByHop.contains(name.lowercased()) ? nil : (name, String(describing: value))
        }
        return ForwardedAnswer(status: http.statusCode, headers: headers, body: data)
    }

    static func response(_ answer: ForwardedAnswer) throws -> Response {
        var headers = HTTPFields()
        for (name, value) in answer.headers {
            guard let field = HTTPField.Name(name) else { continue }
            headers.append(HTTPField(name: field, value: value))
        }
        return Response(status: .init(code: answer.status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: answer.body)))
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String { hasSuffix(suffix) ? String(dropLast(suffix.count)) : self }
}
