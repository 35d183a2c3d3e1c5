import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// JSON over HTTP to one service, failing with one clear line: which service, what call,
/// what went wrong (never a stack trace).
struct ServiceClient: Sendable {
    let name: String
    let base: URL
    /// `Bearer …`, sent with every call (see ``Credentials``).
    var authorization: String?

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    func call(_ method: String, _ path: String, _ body: [String: Any]? = nil, expect: Set<Int> = [200, 201]) async throws -> [String: Any] {
        var request = request(path)
        request.httpMethod = method
        if let body {
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch {
            throw Failure(description: "\(name) is not answering at \(base.absoluteString) (is the stack running? `make run`)")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        guard expect.contains(status) else {
            if status == 401, authorization == nil {
                throw Failure(description: "\(name) asks for a token: pass --token or set HOMEWARD_TOKEN (on the local stack, homeward up's data/auth-dev.key signs one)")
            }
            let rule = object["rule"] as? String ?? "HTTP \(status)"
            throw Failure(description: "\(name) refused \(method) \(path): \(rule): \(object["detail"] as? String ?? "")")
        }
        return object
    }

    /// `path` may carry a query string, which `appendingPathComponent` would escape.
    func url(_ path: String) -> URL {
        URL(string: base.absoluteString.hasSuffix("/") ? base.absoluteString + path : base.absoluteString + "/" + path)!
    }

    /// A request to `path` carrying the token.
    func request(_ path: String) -> URLRequest {
        var request = URLRequest(url: url(path))
        if let authorization { request.setValue(authorization, forHTTPHeaderField: "Authorization") }
        return request
    }

    /// A plain-text answer (CSV reports).
    func text(_ request: URLRequest) async throws -> String {
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch {
            throw Failure(description: "\(name) is not answering at \(base.absoluteString) (is the stack running? `make run`)")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard status == 200 else {
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
            throw Failure(description: "\(name) refused: \(object["rule"] as? String ?? "HTTP \(status)"): \(object["detail"] as? String ?? "")")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Polls `path` until `condition` holds on its answer; events take a moment to travel.
    func wait(_ path: String, for what: String, timeout: Duration = .seconds(60), until condition: ([String: Any]) -> Bool) async throws -> [String: Any] {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < deadline {
            if let object = try? await call("GET", path, expect: [200]), condition(object) { return object }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw Failure(description: "\(name) did not show \(what) within \(timeout)")
    }
}
