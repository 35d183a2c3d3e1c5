public import Foundation
internal import HomewardModel
#if canImport(FoundationNetworking)
public import FoundationNetworking
#endif

/// JSON over HTTP to one service, as staff work it; the typed clients call through it.
/// Every failure is one ``ServiceError`` line naming the service, the call, the status
/// and the problem's `rule` and `detail`.
public struct ServiceAPI: Sendable {
    /// The service's name, as errors and the fault hook name it.
    public let name: String
    /// The service's base URL; it may carry a path (a gateway's `/intake`).
    public let base: URL
    let session: URLSession
    let faults: (any RequestFaults)?
    let observer: (@Sendable (OutgoingRequest, Double) -> Void)?
    /// The `Authorization` header sent with every request (`Bearer <JWT>`).
    let authorization: String?
    /// Whether a `GET` retries transient failures (journeys) or fails at once (a command line).
    let retryingReads: Bool

    /// A client for one service; `session` is shared between the four clients of a ``Staff``.
    public init(name: String, base: URL, session: URLSession, authorization: String? = nil, faults: (any RequestFaults)? = nil,
                observer: (@Sendable (OutgoingRequest, Double) -> Void)? = nil, retryingReads: Bool = true) {
        self.name = name
        self.base = base
        self.session = session
        self.authorization = authorization
        self.faults = faults
        self.observer = observer
        self.retryingReads = retryingReads
    }

    /// What the service answered.
    public struct Answer: Sendable {
        /// The HTTP status.
        public let status: Int
        /// The body as the service sent it (empty when there was none).
        public let data: Data
        /// The answer's `Date` header, when it has one.
        public let date: Date?
    }

    /// `method path` with `body` encoded as the services decode it (the events' coding),
    /// the answer decoded the same way; an answer that does not decode is `unreadable`.
    public func call<Body: Encodable, Result: Decodable>(_ method: String, _ path: String, _ body: Body, headers: [String: String] = [:],
                                                         as: Result.Type = Result.self) async throws -> Result {
        try decode(try await send(method, path, data: try Self.encoder.encode(body), headers: headers), method, path)
    }

    /// `GET path`, the answer decoded.
    public func call<Result: Decodable>(_ path: String, as: Result.Type = Result.self) async throws -> Result {
        try decode(try await send("GET", path, data: nil), "GET", path)
    }

    /// `GET path` decoded, or `nil` when the service answers 404 (it does not know the thing yet).
    public func callIfPresent<Result: Decodable>(_ path: String, as: Result.Type = Result.self) async throws -> Result? {
        let answer = try await send("GET", path, data: nil, expect: [200, 404])
        return answer.status == 404 ? nil : try decode(answer, "GET", path)
    }

    /// `GET path` answered as text (a CSV report or manifest).
    public func text(_ path: String) async throws -> String {
        String(decoding: try await send("GET", path, data: nil, json: false).data, as: UTF8.self)
    }

    /// The events' coding, as the services read and write bodies; made once, not per call.
    private static let encoder = EventCoding.encoder()
    private static let decoder = EventCoding.decoder()

    func decode<Result: Decodable>(_ answer: Answer, _ method: String, _ path: String) throws -> Result {
        do {
            return try Self.decoder.decode(Result.self, from: answer.data)
        } catch {
            throw ServiceError(service: name, method: method, path: "/" + path, failure: .unreadable(status: answer.status),
                               rule: nil, detail: "\(error)", field: nil)
        }
    }

    /// How long a read keeps retrying transient failures (a service restarting, a lost
    /// answer) before it throws: reads change nothing, so repeating them is always safe.
    static let readRetries: Duration = .seconds(60)

    /// One request, `body` already encoded (also the raw escape hatch). Throws a
    /// ``ServiceError`` for any status outside `expect`, for no answer, and for faults the
    /// hook injects; a `GET` first retries transient failures for up to a minute. `json`:
    /// an expected answer must be JSON.
    public func send(_ method: String, _ path: String, data body: Data?, headers: [String: String] = [:],
                     expect: Set<Int> = [200, 201], json: Bool = true) async throws -> Answer {
        guard method == "GET", retryingReads else { return try await sendOnce(method, path, body: body, headers: headers, expect: expect, json: json) }
        let ends = ContinuousClock.now.advanced(by: Self.readRetries)
        var pause = Duration.milliseconds(50)
        while true {
            do {
                return try await sendOnce(method, path, body: body, headers: headers, expect: expect, json: json)
            } catch let error as ServiceError where error.isTransient && ContinuousClock.now < ends {
                try await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(1))
            }
        }
    }

    private func sendOnce(_ method: String, _ path: String, body: Data?, headers: [String: String], expect: Set<Int>,
                          json: Bool) async throws -> Answer {
        let outgoing = OutgoingRequest(service: name, method: method, path: path)
        func failure(_ kind: ServiceError.Failure, _ problem: Problem? = nil) -> ServiceError {
            ServiceError(service: name, method: method, path: "/" + path, failure: kind,
                         rule: problem?.rule, detail: problem?.detail, field: problem?.field, base: base)
        }
        if let faults {
            do { try await faults.beforeSending(outgoing) } catch { throw failure(.injectedBeforeSending("\(error)")) }
        }
        var request = URLRequest(url: url(path))
        request.httpMethod = method
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        if let authorization { request.setValue(authorization, forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }

        let data: Data
        let response: URLResponse
        let sent = ContinuousClock.now
        do {
            (data, response) = try await session.data(for: request)
            if let observer {
                let took = (ContinuousClock.now - sent).components
                observer(outgoing, Double(took.seconds) + Double(took.attoseconds) / 1e18)
            }
        } catch let error as URLError where error.code == .timedOut {
            throw failure(.timedOut)
        } catch {
            throw failure(.unreachable(Self.reason(error)))
        }
        let http = response as? HTTPURLResponse
        let status = http?.statusCode ?? 0
        if let faults, await faults.dropsAnswer(to: outgoing, status: status) {
            throw failure(.answerDropped(status: status))
        }
        if json, !data.isEmpty, expect.contains(status), (try? JSONSerialization.jsonObject(with: data, options: .fragmentsAllowed)) == nil {
            throw failure(.unreadable(status: status))
        }
        guard expect.contains(status) else { throw failure(.refused(status: status), try? JSONDecoder().decode(Problem.self, from: data)) }
        return Answer(status: status, data: data, date: http?.value(forHTTPHeaderField: "Date").flatMap(Self.httpDate))
    }

    /// What a refusal's problem document names.
    private struct Problem: Decodable {
        var rule: String?
        var detail: String?
        var field: String?
    }

    /// `path` may carry a query string, which `appendingPathComponent` would escape.
    func url(_ path: String) -> URL {
        let text = base.absoluteString
        return URL(string: (text.hasSuffix("/") ? text : text + "/") + path)!
    }

    private static func reason(_ error: any Error) -> String {
        if let error = error as? URLError {
            switch error.code {
            case .cannotConnectToHost: return "connection refused"
            case .networkConnectionLost: return "connection lost"
            case .cannotFindHost: return "unknown host"
            case .notConnectedToInternet: return "not connected"
            default: return "URL error \(error.code.rawValue)"
            }
        }
        return "\(error)"
    }

    /// An RFC 9110 `Date` header (`Sun, 22 Nov 2026 19:53:42 GMT`).
    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = .gmt
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }
}
