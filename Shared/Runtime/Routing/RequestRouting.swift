public import Foundation
import Hummingbird
public import HTTPTypes

/// How one request reaches partition stores owned on other hosts, set by
/// ``OwnerForwarding`` for the request's task: ``PartitionStores/readEach(_:)`` fetches the
/// partitions owned elsewhere from their owners, ``PartitionStores/locate(_:)`` sends the
/// request on to them. Without it (one host, background work) every store is read here.
public struct RequestRouting: Sendable {
    @TaskLocal public static var current: RequestRouting?

    public let routing: PartitionRouting
    /// On a request another replica sent on: the partitions it is to be answered from,
    /// here and nowhere else (a request is sent on once at most).
    public let only: Set<Int32>?
    /// The same request, answered by `owner` from `partitions` only.
    let fetch: @Sendable (_ owner: URL, _ partitions: [Int32]) async throws -> ForwardedAnswer
    /// Another request of the caller's, `POST path` with a JSON `body`, answered by `owner`
    /// from `partitions` only: a list route's part that a case's route needs (possible
    /// duplicates), where sending this request on would ask its owner for a case it lacks.
    let ask: @Sendable (_ owner: URL, _ partitions: [Int32], _ path: String, _ body: Data) async throws -> ForwardedAnswer

    public init(routing: PartitionRouting, only: Set<Int32>?, fetch: @escaping @Sendable (URL, [Int32]) async throws -> ForwardedAnswer,
                ask: @escaping @Sendable (URL, [Int32], String, Data) async throws -> ForwardedAnswer) {
        self.routing = routing
        self.only = only
        self.fetch = fetch
        self.ask = ask
    }

    /// The header that carries ``only``.
    public static let partitionsHeader = HTTPField.Name("Homeward-Partitions")!

    /// Where each partition a request may read is answered from: here, by an owner
    /// elsewhere, or nowhere now (moving). On a request sent on, only the partitions of
    /// ``only``, and any of them no longer here is moving.
    /// `everywhere`: every partition, as for a request of its own (``ask``).
    func plan(_ partitions: Range<Int32>, everywhere: Bool = false) -> (here: [Int32], elsewhere: [URL: [Int32]], moving: [Int32]) {
        let only = everywhere ? nil : only
        var here: [Int32] = []
        var elsewhere: [URL: [Int32]] = [:]
        var moving: [Int32] = []
        for partition in partitions where only?.contains(partition) ?? true {
            switch routing.placement(of: partition) {
            case .here: here.append(partition)
            case .owner(let url) where only == nil: elsewhere[url, default: []].append(partition)
            case .owner, .moving: moving.append(partition)
            }
        }
        return (here, elsewhere, moving)
    }

    /// The answer while a partition store changes owner, or its owner cannot be reached.
    public static let movingProblem = Problem.tryAgain(
        rule: "partition-moving", detail: "the store of this case is changing owner between replicas; try again shortly", afterSeconds: 1)
}

/// An answer from the owner of other partitions.
public struct ForwardedAnswer: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: Data
}

/// Thrown where a request needs a record kept in partition stores owned elsewhere (found
/// by an id that is not a case id, or a new case placed there): ``OwnerForwarding`` sends
/// the whole request on to their owners, and answers with the first that is not 404. Their
/// 404s settle nothing while a partition that may hold the record is being restored here
/// or has no owner (`unsure`): that is 503, and the retry finds it.
public struct ForwardToOwners: Error {
    public var owners: [URL: [Int32]]
    public var unsure: Bool

    public init(owners: [URL: [Int32]], unsure: Bool = false) {
        self.owners = owners
        self.unsure = unsure
    }
}

/// A replica's part of a list another replica asked it for: the per-partition results of
/// ``PartitionStores/readEach(_:)``, as JSON, answered in place of the route's own answer.
struct PartialAnswer: HTTPResponseError {
    let body: Data
    var status: HTTPResponse.Status { .ok }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: .init(bytes: body)))
    }
}
