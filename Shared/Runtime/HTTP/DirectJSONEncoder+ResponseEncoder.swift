public import Hummingbird
public import HomewardModel
import NIOCore

/// Answers as Hummingbird's `JSONEncoder` conformance does (status 200, the same
/// `Content-Type` and `Content-Length`), with the body ``DirectJSONEncoder`` writes.
extension DirectJSONEncoder: ResponseEncoder {
    public func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response {
        let body = try bytes(value)
        var headers = HTTPFields()
        headers.reserveCapacity(4)
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.contentLength] = body.count.description
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
