public import GRDB
public import HomewardModel
import HomewardStore

extension PartitionStores {
    /// A staff change to case `caseID`: `body` changes it and reads the answer in one write
    /// transaction of the case's store, so the answer is what was committed.
    public func change<Answer: Sendable>(of caseID: CaseID, _ body: @escaping @Sendable (Database) throws -> Answer) async throws -> Answer {
        try await store(for: caseID).write(body)
    }

    /// A staff change to a record known by an id that is not a case id (a traveller, a
    /// booking): `caseOf` finds its case in the one store that holds it, which the audit
    /// entry then names, and `body` runs in that store's write transaction. Nil when no
    /// store holds the record.
    public func change<Answer: Sendable>(locating caseOf: @escaping @Sendable (Database) throws -> CaseID?,
                                         _ body: @escaping @Sendable (Database) throws -> Answer) async throws -> Answer? {
        guard let (store, caseID) = try await locate(caseOf) else { return nil }
        RequestScope.current?.concerns(caseID.rawValue)
        return try await store.write(body)
    }
}
