import Foundation
import HomewardModel
@testable import HomewardRuntime
import Hummingbird
import HummingbirdCore

// Requests: an HTTP body decoded as every route decodes it (`Request.decodeBody`, whose
// synchronous part is `ServiceRequestContext.decodeBody`: the nesting check, the JSON
// decoder of events and responses, the problem document for each failure), then the pure
// check the service runs on the decoded value next, where there is one to call.

/// The clock of the checks that read one: the day the intake fixtures are set on.
let fuzzNow = Instant.parse("2014-03-01T12:00:00.000Z")!

func requestTarget<T: Codable & Sendable>(
    _ name: String, _ type: T.Type, seeds: @escaping @Sendable () throws -> [T],
    check: @escaping @Sendable (T) throws -> Void = { _ in }
) -> FuzzTarget {
    FuzzTarget(
        name: name,
        seeds: {
            let encoder = EventCoding.encoder()
            return try seeds().map { try encoder.encode($0) }
        },
        run: { data in
            let value: T
            do {
                value = try ServiceRequestContext.decodeBody(T.self, from: data)
            } catch {
                return .refused
            }
            do {
                try check(value)
                return .accepted
            } catch {
                return .rejected
            }
        })
}

/// A query string, as the router hands it over: the request target's query parsed by
/// Hummingbird's `URI`, then `parse` (the route's own reading of the parameters).
func queryTarget(_ name: String, seeds: [String], parse: @escaping @Sendable (Parameters) throws -> Void) -> FuzzTarget {
    FuzzTarget(
        name: name,
        seeds: { seeds.map { Data($0.utf8) } },
        run: { data in
            let uri = URI("/cases?" + String(decoding: data, as: UTF8.self))
            do {
                try parse(uri.queryParameters)
                return .accepted
            } catch {
                return .refused
            }
        })
}
