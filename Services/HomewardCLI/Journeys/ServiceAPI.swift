public import Foundation
#if canImport(FoundationNetworking)
public import FoundationNetworking
#endif

/// JSON over HTTP to one service, as staff work it. Every failure is one
/// ``ServiceError`` line naming the service, the call, the status and the problem's `rule`
/// and `detail`.
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

    /// A client for one service; `session` is shared between the four clients of a ``Staff``.
    public init(name: String, base: URL, session: URLSession, authorization: String? = nil, faults: (any RequestFaults)? = nil,
                observer: (@Sendable (OutgoingRequest, Double) -> Void)? = nil) {
        self.name = name
        self.base = base
        self.session = session
        self.authorization = authorization
        self.faults = faults
        self.observer = observer
    }

    /// What the service answered.
    public struct Answer: Sendable {
        /// The HTTP status.
        public let status: Int
        /// The JSON body (`.null` when empty).
        public let body: JSON
        /// The answer's `Date` header, when it has one.
        public let date: Date?
    }

    /// `GET path`, expecting 200.
    public func get(_ path: String) async throws -> JSON {
        try await send("GET", path).body
    }

    /// `GET path`, or `nil` when the service answers 404 (it does not know the thing yet).
    public func getIfPresent(_ path: String) async throws -> JSON? {
        let answer = try await send("GET", path, expect: [200, 404])
        return answer.status == 404 ? nil : answer.body
    }

    /// `POST path` with a JSON body, expecting 200 or 201.
    @discardableResult
    public func post(_ path: String, _ body: JSON = [:], headers: [String: String] = [:]) async throws -> JSON {
        try await send("POST", path, body: body, headers: headers).body
    }

    /// `PUT path` with a JSON body, expecting 200 or 201.
    @discardableResult
    public func put(_ path: String, _ body: JSON) async throws -> JSON {
        try await send("PUT", path, body: body).body
    }

    /// How long a read keeps retrying transient failures (a service restarting, a lost
    /// answer) before it throws: reads change nothing, so repeating them is always safe.
    static let readRetries: Duration = .seconds(60)

    /// One request. Throws a ``ServiceError`` for any status outside `expect`, for no
    /// answer, and for faults the hook injects; a `GET` first retries transient failures
    /// for up to a minute.
    public func send(_ method: String, _ path: String, body: JSON? = nil, headers: [String: String] = [:],
                     expect: Set<Int> = [200, 201]) async throws -> Answer {
        guard method == "GET" else { return try await sendOnce(method, path, body: body, headers: headers, expect: expect) }
        let ends = ContinuousClock.now.advanced(by: Self.readRetries)
        var pause = Duration.milliseconds(50)
        while true {
            do {
                return try await sendOnce(method, path, body: body, headers: headers, expect: expect)
            } catch let error as ServiceError where error.isTransient && !error.isNotYetKnown && ContinuousClock.now < ends {
                try await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(1))
            }
        }
    }

    private func sendOnce(_ method: String, _ path: String, body: JSON?, headers: [String: String], expect: Set<Int>) async throws -> Answer {
        let outgoing = OutgoingRequest(service: name, method: method, path: path)
        func failure(_ kind: ServiceError.Failure, _ problem: JSON = .null) -> ServiceError {
            ServiceError(service: name, method: method, path: "/" + path, failure: kind,
                         rule: problem["rule"].string, detail: problem["detail"].string, field: problem["field"].string)
        }
        if let faults {
            do { try await faults.beforeSending(outgoing) } catch { throw failure(.injectedBeforeSending("\(error)")) }
        }
        var request = URLRequest(url: url(path))
        request.httpMethod = method
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        if let authorization { request.setValue(authorization, forHTTPHeaderField: "Authorization") }
        if let body {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            request.httpBody = try encoder.encode(body)
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
        let json: JSON
        if data.isEmpty {
            json = .null
        } else if let decoded = try? JSONDecoder().decode(JSON.self, from: data) {
            json = decoded
        } else if expect.contains(status) {
            throw failure(.unreadable(status: status))
        } else {
            json = .null
        }
        guard expect.contains(status) else { throw failure(.refused(status: status), json) }
        return Answer(status: status, body: json, date: http?.value(forHTTPHeaderField: "Date").flatMap(Self.httpDate))
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
