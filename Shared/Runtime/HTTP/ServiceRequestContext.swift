public import Foundation
public import Hummingbird
import NIOCore
import NIOFoundationCompat
public import HomewardModel

/// The request context of every service: JSON in and out with the same instant format as
/// events (RFC 3339 UTC with milliseconds; answers written by ``DirectJSONEncoder``), and bodies capped at 1 MiB and 16 levels of nesting
/// (a document's bytes, sent to `…/documents`, at ``DocumentContent/ceiling``; its route
/// applies the service's own limit).
public struct ServiceRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The caller, once ``Authentication`` has verified their token.
    public var staff: StaffIdentity?

    /// The peer's IP address (the gateway's, behind it), for the audit trail.
    public let remoteAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress
    }

    public var requestDecoder: JSONDecoder { Self.decoder }
    public var responseEncoder: DirectJSONEncoder { DirectJSONEncoder() }
    public var maxUploadSize: Int { endpointPath?.hasSuffix("/documents") == true ? DocumentContent.ceiling : 1 << 20 }

    static let decoder = EventCoding.decoder()
}

extension Request {
    /// Decodes the JSON body, turning every decoding failure into a problem document that
    /// names the field (as a JSON pointer) and never echoes the value.
    /// (Hummingbird's own `decode` turns every decoding error into a bare 400.)
    public func decodeBody<T: Decodable>(as type: T.Type, context: ServiceRequestContext) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await body.collect(upTo: context.maxUploadSize)
        } catch is NIOTooManyBytesError {
            throw Problem(status: .contentTooLarge, rule: "body-too-large", detail: "the body is larger than \(context.maxUploadSize) bytes")
        }
        return try ServiceRequestContext.decodeBody(type, from: Data(buffer: buffer))
    }
}

extension ServiceRequestContext {
    /// The part of ``Request/decodeBody(as:context:)`` after the body is read: the nesting
    /// check, then JSON into `T`, each failure a problem document. Synchronous and free of
    /// I/O, so that the fuzz harness (`Tests/Fuzz`) drives exactly this code.
    static func decodeBody<T: Decodable>(_ type: T.Type, from body: Data) throws -> T {
        guard JSONNesting.depth(of: body) <= JSONNesting.limit else {
            throw Problem(status: .badRequest, rule: "body-too-deep", detail: "the body nests deeper than \(JSONNesting.limit) levels")
        }
        if let field = namedActor(in: body) {
            throw Problem(status: .unprocessableContent, rule: "actor-from-token", field: field,
                          detail: "who acts is the subject of the access token; leave '\(field.split(separator: "/").last ?? "")' out of the body")
        }
        do {
            return try decoder.decode(type, from: body)
        } catch let error as DecodingError {
            // Foundation reports a number that does not fit its field (too large, or with a
            // fraction where a whole number goes) as invalid JSON at the root; the body may
            // well be JSON, and the problem is then the number, not the syntax.
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty,
               let json = try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) {
                throw Problem(status: .unprocessableContent, rule: "number-out-of-range", field: unfitNumber(in: json),
                              detail: "a number does not fit its field: too large, or not a whole number where one is expected")
            }
            throw Problem(decoding: error)
        }
    }
}

extension ServiceRequestContext {
    /// The JSON pointer of the number that cannot have been decoded: the first beyond a
    /// whole 64-bit number, else the first with a fraction; nil if there is none.
    static func unfitNumber(in json: Any) -> String? {
        var fractional: String?
        func search(_ value: Any, _ path: String) -> String? {
            if let object = value as? [String: Any] {
                for key in object.keys.sorted() {
                    if let found = search(object[key]!, path + "/" + key) { return found }
                }
            } else if let array = value as? [Any] {
                for (index, element) in array.enumerated() {
                    if let found = search(element, path + "/\(index)") { return found }
                }
            } else if let number = value as? NSNumber, !(value is Bool) {
                let double = number.doubleValue
                if abs(double) >= 9.2e18 { return path }
                if fractional == nil, double != double.rounded() { fractional = path }
            }
            return nil
        }
        return search(json, "") ?? fractional
    }

    /// The JSON pointer of a field that names the actor (``FromToken/refusedFields``), at any
    /// depth; nil for a body without one (the common case, found without parsing).
    static func namedActor(in body: Data) -> String? {
        guard FromToken.refusedFields.contains(where: { body.range(of: Data($0.utf8)) != nil }),
              let json = try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) else { return nil }
        func search(_ value: Any, _ path: String) -> String? {
            if let object = value as? [String: Any] {
                for key in object.keys.sorted() {
                    if FromToken.refusedFields.contains(key) { return path + "/" + key }
                    if let found = search(object[key]!, path + "/" + key) { return found }
                }
            } else if let array = value as? [Any] {
                for (index, element) in array.enumerated() {
                    if let found = search(element, path + "/\(index)") { return found }
                }
            }
            return nil
        }
        return search(json, "")
    }
}

extension Problem {
    /// The problem of a body that does not decode: the field as a JSON pointer, never the value.
    public init(decoding error: DecodingError) {
        func pointer(_ path: [any CodingKey]) -> String {
            "/" + path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: "/")
        }
        switch error {
        case .keyNotFound(let key, let context):
            self.init(status: .unprocessableContent, rule: "required", field: pointer(context.codingPath + [key]),
                      detail: "'\(key.stringValue)' is required")
        case .valueNotFound(_, let context):
            self.init(status: .unprocessableContent, rule: "required", field: pointer(context.codingPath), detail: "a value is required")
        case .typeMismatch(let type, let context):
            self.init(status: .unprocessableContent, rule: "wrong-type", field: pointer(context.codingPath),
                      detail: "expected \(Self.describe(type))")
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            self.init(status: .badRequest, rule: "malformed-json", detail: "the body is not valid JSON")
        case .dataCorrupted(let context):
            // Decoders' own messages may quote the input, which may be personal or medical;
            // a ClosedSet's names only what is allowed.
            self.init(status: .unprocessableContent, rule: "invalid-value", field: pointer(context.codingPath),
                      detail: context.debugDescription.hasPrefix("one of: ") ? context.debugDescription : "the value is not valid here")
        @unknown default:
            self.init(status: .badRequest, rule: "malformed-body")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is Int64.Type, is Int32.Type: "a whole number"
        case is Double.Type: "a number"
        default: "a value of another shape"
        }
    }
}

extension ServiceRequestContext {
    /// The path's `{caseID}`.
    public func caseID() throws -> CaseID { CaseID(try parameters.require("caseID")) }
    /// The path's `{travellerID}`.
    public func travellerID() throws -> TravellerID { TravellerID(try parameters.require("travellerID")) }
    /// The path's `{bookingID}`.
    public func bookingID() throws -> BookingID { BookingID(try parameters.require("bookingID")) }
}
