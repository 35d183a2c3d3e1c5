import Foundation
public import Hummingbird

/// Where a page of a list ends: the sort key of its last item. Every list sorts ascending by
/// its key (a list newest first negates the instant), so one comparison serves them all.
/// Clients see it only as an opaque cursor: `next` in the answer, `after` in the request.
public struct PageKey: Sendable, Comparable, Codable {
    public enum Part: Sendable, Comparable, Codable {
        case number(Double)
        case text(String)

        public init(from decoder: any Decoder) throws {
            let value = try decoder.singleValueContainer()
            if let number = try? value.decode(Double.self) { self = .number(number) } else { self = .text(try value.decode(String.self)) }
        }

        public func encode(to encoder: any Encoder) throws {
            var value = encoder.singleValueContainer()
            switch self {
            case .number(let number): try value.encode(number)
            case .text(let text): try value.encode(text)
            }
        }
    }

    public var parts: [Part]

    public init(_ parts: Part...) {
        self.parts = parts
    }

    /// base64url of the parts as a JSON array.
    public var cursor: String {
        let data = (try? JSONEncoder().encode(parts)) ?? Data()
        return data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    public init?(cursor: String) {
        guard cursor.count <= 400 else { return nil }
        var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let parts = try? JSONDecoder().decode([Part].self, from: data), !parts.isEmpty,
              parts.allSatisfy({ if case .number(let n) = $0 { n.isFinite } else { true } }) else { return nil }
        self.parts = parts
    }

    public static func < (a: PageKey, b: PageKey) -> Bool {
        a.parts.lexicographicallyPrecedes(b.parts)
    }

    /// The part at `index` as a number or a text, when it is one (a cursor is client input).
    public func number(_ index: Int) -> Double? {
        guard parts.indices.contains(index), case .number(let n) = parts[index] else { return nil }
        return n
    }

    public func text(_ index: Int) -> String? {
        guard parts.indices.contains(index), case .text(let t) = parts[index] else { return nil }
        return t
    }
}

/// An item of a list with its sort key, as one partition store reads it: what the owner of
/// a partition sends for a list merged on another host (``PartitionStores/readEach(_:)``).
public struct KeyedItem<Item: Codable & Sendable>: Codable, Sendable {
    public var key: PageKey
    public var item: Item

    public init(key: PageKey, item: Item) {
        self.key = key
        self.item = item
    }
}

/// One page of a list as the request asks it: `limit` items after the cursor `after`.
/// Every list of every service pages this way; each bounds `limit` and documents its order.
public struct PageRequest: Sendable {
    /// The query parameters of paging, to add to a list's own.
    public static let parameters: Set<String> = ["limit", "after"]

    public var limit: Int
    public var after: PageKey?

    public init(limit: Int, after: PageKey? = nil) {
        self.limit = limit
        self.after = after
    }

    /// Reads `limit` (1 to `maximum`, else 400 naming it) and `after` (a `next` given before).
    public init(_ query: Parameters, defaultLimit: Int = 50, maximum: Int = 500, shape: (PageKey) -> Bool = { _ in true }) throws {
        limit = defaultLimit
        if let text = query["limit"] {
            guard let n = Int(text), (1...maximum).contains(n) else {
                throw Problem(status: .badRequest, rule: "invalid-query", field: "limit", detail: "a whole number from 1 to \(maximum)")
            }
            limit = n
        }
        if let text = query["after"] {
            guard let key = PageKey(cursor: String(text)), shape(key) else {
                throw Problem(status: .badRequest, rule: "invalid-query", field: "after", detail: "the `next` of a previous page of this list, as given")
            }
            after = key
        }
    }

    /// The page of `items` (in any order, from any number of stores): those after the
    /// cursor, sorted by `key`, at most `limit`; and the cursor of the next page when more follow.
    public func page<Item>(of items: some Sequence<Item>, key: (Item) -> PageKey) -> (items: [Item], next: String?) {
        var keyed = items.map { (key($0), $0) }
        if let after { keyed.removeAll { !(after < $0.0) } }
        keyed.sort { $0.0 < $1.0 }
        guard keyed.count > limit else { return (keyed.map(\.1), nil) }
        return (keyed.prefix(limit).map(\.1), keyed[limit - 1].0.cursor)
    }
}

/// A list's answer: its body carries `next`, and the answer says the same in a
/// `Link: <…>; rel="next"` header (RFC 8288) that repeats the request's own parameters.
public protocol PagedList: ResponseEncodable {
    var next: String? { get }
}

extension PagedList {
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try context.responseEncoder.encode(self, from: request, context: context)
        if let next { response.headers[.init("Link")!] = "<\(Self.link(request, after: next))>; rel=\"next\"" }
        return response
    }

    /// The request's path and query with `after` set to `cursor`.
    static func link(_ request: Request, after cursor: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+;#")
        let kept = request.uri.queryParameters.filter { $0.key != "after" }.map { pair in
            "\(pair.key)=\(String(pair.value).addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
        }
        return request.uri.path + "?" + (kept + ["after=\(cursor)"]).joined(separator: "&")
    }
}
