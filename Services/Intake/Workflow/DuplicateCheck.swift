import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import IntakeAPI

/// Possible duplicates: other open cases of the same person, across every partition store
/// (a person's cases land wherever their ids do). A warning for caseworkers to judge, so
/// it never refuses anything: names are common, and a person may rightly have been
/// registered twice by two referring authorities before anyone noticed.
enum DuplicateCheck {
    /// What a replica asks the owners of the other partitions (`POST /possible-duplicates`,
    /// their part of the list): keyed hashes, never a name.
    struct Question: Codable, Sendable {
        var people: [CaseRepository.PersonHashes]
        var besides: CaseID
    }

    static let path = "/possible-duplicates"

    /// The open cases besides `caseID` with a traveller who may be one of `people`, oldest
    /// registration first (the first registered is most likely the one being worked). A
    /// case's route asks the owners of partitions elsewhere with a ``Question``.
    static func openCases(matching people: [CaseRepository.PersonHashes], besides caseID: CaseID,
                          in stores: PartitionStores) async throws -> [CaseID] {
        guard !people.isEmpty else { return [] }
        return try await answer(Question(people: people, besides: caseID), asking: true, in: stores)
    }

    /// The answer to `question` from every store: the ones elsewhere asked with it
    /// (`asking`, from a case's route) or sent this list request (from its own route).
    static func answer(_ question: Question, asking: Bool, in stores: PartitionStores) async throws -> [CaseID] {
        let read: @Sendable (Database) throws -> [CaseRepository.OpenCase] = { db in
            try CaseRepository.openCases(matching: question.people, besides: question.besides, in: db)
        }
        let found = asking ? try await stores.readEach(asking: path, question, read) : try await stores.readEach(read)
        return found.flatMap { $0 }
            .sorted { ($0.registeredAt, $0.caseID.rawValue) < ($1.registeredAt, $1.caseID.rawValue) }
            .map(\.caseID)
    }

    /// The open cases that may be the same people as `caseID`'s travellers; nil when there
    /// is no such case. An erased case has no one left to compare.
    static func openCases(sharingPeopleWith caseID: CaseID, in stores: PartitionStores) async throws -> [CaseID]? {
        guard let people = try await stores.store(for: caseID).read({ db in try CaseRepository.personHashes(of: caseID, in: db) }) else {
            return nil
        }
        return try await openCases(matching: people, besides: caseID, in: stores)
    }
}
